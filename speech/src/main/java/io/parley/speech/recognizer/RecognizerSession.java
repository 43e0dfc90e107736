package io.parley.speech.recognizer;

/**
 * One live audio stream being recognised. Audio goes in with {@link #accept}; results come
 * out through the {@link RecognitionListener} given at open, on the engine's own thread, in
 * order: partials of an utterance, then its final.
 */
public interface RecognizerSession {

    /**
     * Queues 16 kHz mono samples. Never blocks on recognition.
     *
     * @throws RecognizerException {@code recognizer_overloaded} if more audio is waiting than
     *                             the session may hold; those samples are not taken
     * @throws IllegalStateException if the session was finished or aborted
     */
    void accept(float[] samples, int offset, int length);

    /** Seconds of audio accepted but not yet recognised. */
    double backlogSeconds();

    /**
     * Ends the stream: everything accepted is still recognised, the last utterance is closed
     * with a final even if it was cut mid-word, and then {@link RecognitionListener#onEnd()}
     * is called.
     */
    void finish();

    /** Stops at once, dropping queued audio; {@link RecognitionListener#onEnd()} follows. */
    void abort();
}
