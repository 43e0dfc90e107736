package io.parley.gateway.files;

import io.parley.speech.recognizer.Utterance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded file as recognised: its finals in order, with words and times, and the language
 * most of them were in. Translations, when asked for, are per language and per final.
 *
 * @param finals       the utterances, in order
 * @param seconds      the audio's length
 * @param kind         the container it came in
 * @param translations target language → one text per final (same order)
 */
public record FileTranscript(List<Utterance> finals, double seconds, MediaKind kind, Map<String, List<String>> translations) {

    public FileTranscript {
        finals = List.copyOf(finals);
        translations = Map.copyOf(translations);
    }

    /** The whole text, finals joined by spaces. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Utterance u : finals) {
            if (!u.text().isBlank()) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(u.text().strip());
            }
        }
        return sb.toString();
    }

    /** The language spoken longest, or {@code fallback} when nothing was said. */
    public String language(String fallback) {
        Map<String, Double> time = new HashMap<>();
        for (Utterance u : finals) {
            if (u.language() != null && !u.text().isBlank()) {
                time.merge(u.language(), Math.max(0.01, u.end() - u.start()), Double::sum);
            }
        }
        return time.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(fallback);
    }

    public FileTranscript withTranslations(Map<String, List<String>> t) {
        return new FileTranscript(finals, seconds, kind, t);
    }
}
