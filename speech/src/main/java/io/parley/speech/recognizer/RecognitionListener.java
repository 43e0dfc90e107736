package io.parley.speech.recognizer;

/** Receives a session's results. Called from the engine's thread, one call at a time. */
public interface RecognitionListener {

    /** The current guess at an utterance still in progress; replaces the previous partial. */
    void onPartial(Utterance partial);

    /** The utterance is over (an endpoint or the end of the stream) and this text is settled. */
    void onFinal(Utterance fin);

    /** The engine failed; the session is over. {@link #onEnd()} follows. */
    void onError(RecognizerException error);

    /** The session is over; nothing more will be called. */
    void onEnd();
}
