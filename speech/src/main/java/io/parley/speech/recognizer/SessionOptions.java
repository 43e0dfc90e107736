package io.parley.speech.recognizer;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a stream asks of the recognizer.
 *
 * @param language ISO 639-1 code of the speech, or {@code auto}
 * @param streamId a label for logs and thread names
 * @param task     caption the speech in its own language, or translate it into English
 * @param hints    words the speech is likely to hold (a room's glossary: names, products,
 *                 jargon), read again at each utterance since they may change; engines that
 *                 can take context use them, others ignore them
 * @param englishFromSpeech spoken languages whose finals the recognizer also translates into
 *                 English itself ({@link Utterance#english()}), asked per utterance: those where
 *                 its own translation measured better than translating its transcript
 *                 (engines that cannot ignore it)
 * @param expectedLanguages with {@code auto}: the languages the speaker said to expect; the
 *                 engine identifies the language among them only (empty: any it knows)
 */
public record SessionOptions(String language, String streamId, Task task, Supplier<List<String>> hints,
                             Predicate<String> englishFromSpeech, List<String> expectedLanguages) {

    public static final String AUTO = "auto";

    /** What to make of the speech. */
    public enum Task {
        /** Captions in the language spoken. */
        TRANSCRIBE,
        /** Captions in English, whatever the language spoken (engines that can: {@link SpeechRecognizer#translatesToEnglish()}). */
        TRANSLATE
    }

    public SessionOptions {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(streamId, "streamId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(hints, "hints");
        Objects.requireNonNull(englishFromSpeech, "englishFromSpeech");
        expectedLanguages = List.copyOf(expectedLanguages);
    }

    public SessionOptions(String language, String streamId, Task task, Supplier<List<String>> hints,
                          Predicate<String> englishFromSpeech) {
        this(language, streamId, task, hints, englishFromSpeech, List.of());
    }

    /** The same options, identifying the language among {@code expected} only. */
    public SessionOptions withExpectedLanguages(List<String> expected) {
        return new SessionOptions(language, streamId, task, hints, englishFromSpeech, expected);
    }

    public SessionOptions(String language, String streamId, Task task, Supplier<List<String>> hints) {
        this(language, streamId, task, hints, lang -> false);
    }

    public SessionOptions(String language, String streamId, Task task) {
        this(language, streamId, task, List::of);
    }

    public SessionOptions(String language, String streamId) {
        this(language, streamId, Task.TRANSCRIBE);
    }
}
