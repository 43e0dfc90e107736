package io.parley.speech.recognizer;

import java.util.Set;

/**
 * A speech recognition engine: loaded once, shared by every stream. Each live stream opens
 * its own {@link RecognizerSession}; the engine decides how sessions share its model.
 */
public interface SpeechRecognizer extends AutoCloseable {

    /** A short stable name, e.g. {@code sphinx4}; shown by {@code /v1/languages} and the CLI. */
    String engine();

    /** Languages it can transcribe, as ISO 639-1 codes. */
    Set<String> languages();

    /** Whether a session may ask for {@code auto} and have the language identified. */
    boolean identifiesLanguage();

    /** Whether a session may ask for {@link SessionOptions.Task#TRANSLATE}: speech in any language captioned in English. */
    default boolean translatesToEnglish() {
        return false;
    }

    /**
     * Opens a streaming session.
     *
     * @throws RecognizerException with a stable code if the options cannot be served
     *                             (an unknown language, no capacity left)
     */
    RecognizerSession open(SessionOptions options, RecognitionListener listener);

    /** Counters for monitoring: audio decoded and the time it took. */
    RecognizerStats stats();

    @Override
    void close();
}
