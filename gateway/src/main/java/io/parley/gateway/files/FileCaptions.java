package io.parley.gateway.files;

import io.parley.gateway.export.SrtWriter;
import io.parley.gateway.export.WebVttWriter;
import io.parley.gateway.room.Caption;
import io.parley.speech.recognizer.Utterance;

import java.util.ArrayList;
import java.util.List;

/**
 * A file's transcript as captions, in the language it was spoken or a translation, so that the
 * room transcript's SubRip and WebVTT writers (and their escaping) serve files too.
 */
public final class FileCaptions {

    private FileCaptions() {
    }

    /** One caption per final; {@code lang} null for the language it was spoken in. */
    public static List<Caption> of(FileTranscript t, String lang) {
        List<Caption> out = new ArrayList<>();
        List<String> texts = lang == null ? null : t.translations().get(lang);
        for (int i = 0; i < t.finals().size(); i++) {
            Utterance u = t.finals().get(i);
            String text = texts == null ? u.text().strip() : texts.get(i);
            if (text.isBlank()) {
                continue;
            }
            out.add(new Caption(i + 1, i + 1, true, lang == null ? u.language() : lang, text, u.start(), u.end(), 0, null,
                    texts == null ? u.words() : List.of(), null, List.of(), false, null, false));
        }
        return out;
    }

    public static String srt(FileTranscript t, String lang) {
        return SrtWriter.write(of(t, lang));
    }

    public static String vtt(FileTranscript t, String lang) {
        return WebVttWriter.write(of(t, lang));
    }
}
