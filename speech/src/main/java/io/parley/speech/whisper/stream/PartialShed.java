package io.parley.speech.whisper.stream;

/**
 * A partial pass was given up before its work ran: either it waited for the model behind other
 * streams' finals until its deadline ({@link ModelRunner.Account#shedAt(long)}), or the stream
 * itself called it off ({@link ModelRunner.Account#callOffWhen}) because the speaker paused and
 * the speculative final should have the model instead. Not an error: the session goes back to its
 * audio. Shared instances without a stack trace, since they are thrown as flow control, under load
 * and at every pause, where allocation and stack walks would cost most.
 */
final class PartialShed extends RuntimeException {

    /** The pass's work still waited for the model at its deadline. */
    static final PartialShed WAITED_TOO_LONG = new PartialShed("partial pass shed: the model is busy with finals");
    /** The stream called the pass off between two of its jobs or while one waited. */
    static final PartialShed CALLED_OFF = new PartialShed("partial pass called off by its stream");

    private PartialShed(String message) {
        super(message, null, false, false);
    }
}
