package io.parley.speech.whisper.decode;

import java.util.List;

/**
 * How to decode one window, validated: OpenAI Whisper's and faster-whisper's options with their
 * defaults.
 *
 * @param task                     transcribe or translate into English
 * @param language                 ISO code, or null to identify it from the audio
 * @param timestamps               predict segment timestamps (otherwise {@code <|notimestamps|>})
 * @param temperatures             tried in order until a result passes the guards; 0 is greedy
 * @param beamSize                 1 for greedy search at temperature 0, else beam search there
 * @param patience                 beam search ends after {@code beamSize * patience} finished hypotheses
 * @param maxInitialTimestamp      seconds: the first timestamp may not be later
 * @param compressionRatioThreshold a result whose text gzips better than this repeats itself: retried
 * @param logProbThreshold         a result whose average log-probability is lower is retried
 * @param noSpeechThreshold        with a low log-probability, a no-speech probability above this means silence
 * @param maxTokens                tokens per window at most
 * @param prompt                   text tokens of what was said before (Whisper's {@code <|startofprev|>} prompt)
 * @param languageChoice           how a language is picked when {@code language} is null
 * @param prefix                   text tokens the transcript is forced to begin with (Whisper's {@code prefix}):
 *                                 fed in one pass, never decoded token by token; greedy decoding without
 *                                 timestamps only (a live partial's settled words)
 */
public record DecodingOptions(Task task, String language, boolean timestamps, List<Double> temperatures,
                              int beamSize, double patience, double maxInitialTimestamp,
                              double compressionRatioThreshold, double logProbThreshold, double noSpeechThreshold,
                              int maxTokens, int[] prompt, LanguageChoice languageChoice, int[] prefix) {

    public static final List<Double> FALLBACK = List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);

    public static DecodingOptions defaults() {
        return new DecodingOptions(Task.TRANSCRIBE, null, true, FALLBACK, 1, 1.0, 1.0, 2.4, -1.0, 0.6, 224, new int[0], LanguageChoice.ANY, new int[0]);
    }

    public DecodingOptions {
        if (task == null) {
            throw new IllegalArgumentException("decoding: a task is required");
        }
        if (temperatures == null || temperatures.isEmpty() || temperatures.stream().anyMatch(t -> t < 0 || t > 2)) {
            throw new IllegalArgumentException("decoding: temperatures must be between 0 and 2: " + temperatures);
        }
        if (beamSize < 1 || beamSize > 16) {
            throw new IllegalArgumentException("decoding: beam size must be 1 to 16, not " + beamSize);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("decoding: patience must be at least 1, not " + patience);
        }
        if (maxTokens < 1 || maxTokens > 448) {
            throw new IllegalArgumentException("decoding: maxTokens must be 1 to 448, not " + maxTokens);
        }
        prompt = prompt == null ? new int[0] : prompt.clone();
        languageChoice = languageChoice == null ? LanguageChoice.ANY : languageChoice;
        prefix = prefix == null ? new int[0] : prefix.clone();
        if (prefix.length > 0 && (timestamps || beamSize > 1)) {
            throw new IllegalArgumentException("decoding: a forced prefix is for greedy decoding without timestamps");
        }
        if (prefix.length >= maxTokens) {
            throw new IllegalArgumentException("decoding: the prefix (" + prefix.length + " tokens) leaves no room in "
                    + maxTokens + " tokens");
        }
        temperatures = List.copyOf(temperatures);
    }

    public DecodingOptions withLanguage(String lang) {
        return new DecodingOptions(task, lang, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, prefix);
    }

    public DecodingOptions withTask(Task t) {
        return new DecodingOptions(t, language, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, prefix);
    }

    public DecodingOptions withTimestamps(boolean on) {
        return new DecodingOptions(task, language, on, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, prefix);
    }

    public DecodingOptions withBeamSize(int size) {
        return new DecodingOptions(task, language, timestamps, temperatures, size, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, prefix);
    }

    public DecodingOptions withTemperatures(List<Double> ts) {
        return new DecodingOptions(task, language, timestamps, ts, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, prefix);
    }

    public DecodingOptions withPrompt(int[] tokens) {
        return new DecodingOptions(task, language, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, tokens, languageChoice, prefix);
    }

    public DecodingOptions withMaxTokens(int n) {
        return new DecodingOptions(task, language, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, n, prompt, languageChoice, prefix);
    }

    public DecodingOptions withLanguageChoice(LanguageChoice choice) {
        return new DecodingOptions(task, language, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, choice, prefix);
    }

    public DecodingOptions withPrefix(int[] tokens) {
        return new DecodingOptions(task, language, timestamps, temperatures, beamSize, patience, maxInitialTimestamp,
                compressionRatioThreshold, logProbThreshold, noSpeechThreshold, maxTokens, prompt, languageChoice, tokens);
    }
}
