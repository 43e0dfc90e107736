package io.parley.gateway.room;

import io.parley.speech.recognizer.RecognizedWord;

import java.util.List;

/**
 * One caption as viewers receive it: a partial or final of one segment, in one language.
 *
 * @param seq          room-wide order of publication; a translation keeps the seq of its source
 * @param segment      room-wide id of the utterance; a partial and its final share it
 * @param isFinal      whether the segment is closed
 * @param lang         the language of {@code text}
 * @param text         the caption text
 * @param start        seconds from the start of the speaker's stream
 * @param end          seconds from the start of the speaker's stream
 * @param streamOffset seconds from the room's creation to the start of the speaker's stream,
 *                     so that exports can put several speakers on one time line
 * @param speaker      the speaker's display name
 * @param words        per-word times and confidences (captions in the spoken language only)
 * @param source       for a translation, the text it was translated from; null otherwise
 * @param flagged      words the translator could not translate with confidence
 * @param untranslated true if a translation was due but could not be made, so the text is the source text
 * @param speechEnglish of an original final in another language, the recognizer's own English
 *                     translation of the speech, which English captions take where it measured
 *                     better than translating the text; null otherwise
 * @param fromSpeech   of an English caption, whether it is that translation of the speech
 */
public record Caption(long seq, long segment, boolean isFinal, String lang, String text,
                      double start, double end, double streamOffset, String speaker,
                      List<RecognizedWord> words, Source source, List<String> flagged, boolean untranslated,
                      String speechEnglish, boolean fromSpeech) {

    /** The original of a translated caption. */
    public record Source(String lang, String text) {
    }

    public Caption {
        words = List.copyOf(words);
        flagged = List.copyOf(flagged);
    }

    public Caption(long seq, long segment, boolean isFinal, String lang, String text, double start, double end,
                   double streamOffset, String speaker, List<RecognizedWord> words, Source source, List<String> flagged,
                   boolean untranslated) {
        this(seq, segment, isFinal, lang, text, start, end, streamOffset, speaker, words, source, flagged, untranslated,
                null, false);
    }

    /** This final's English as the recognizer translated the speech ({@link #speechEnglish}). */
    public Caption inEnglishFromSpeech() {
        return new Caption(seq, segment, isFinal, "en", speechEnglish, start, end, streamOffset, speaker,
                List.of(), new Source(lang, text), List.of(), false, null, true);
    }

    /** This caption translated into {@code targetLang}. */
    public Caption translated(String targetLang, String translation, List<String> flaggedWords) {
        return new Caption(seq, segment, isFinal, targetLang, translation, start, end, streamOffset, speaker,
                List.of(), new Source(lang, text), flaggedWords, false);
    }

    /** This caption with only part of its text (a partial's stable prefix), without word details. */
    public Caption withText(String prefix) {
        return new Caption(seq, segment, isFinal, lang, prefix, start, end, streamOffset, speaker,
                List.of(), source, flagged, untranslated);
    }

    /** This caption as delivered, in its own language and so marked, where no translation could be made. */
    public Caption asUntranslated() {
        return new Caption(seq, segment, isFinal, lang, text, start, end, streamOffset, speaker,
                words, null, List.of(), true);
    }
}
