package io.parley.speech.whisper.stream;

/**
 * A partial pass was given up while its work waited for the model behind other streams'
 * finals (see {@link ModelRunner.Account#shedAt(long)}). Not an error: the session counts it as
 * a shed partial and goes back to its audio. One shared instance without a stack trace, since
 * it is thrown as flow control under load, where allocation and stack walks would cost most.
 */
final class PartialShed extends RuntimeException {

    static final PartialShed INSTANCE = new PartialShed();

    private PartialShed() {
        super("partial pass shed: the model is busy with finals", null, false, false);
    }
}
