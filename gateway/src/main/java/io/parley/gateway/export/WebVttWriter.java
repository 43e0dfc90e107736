package io.parley.gateway.export;

import io.parley.gateway.room.Caption;

import java.util.List;

/** A transcript as WebVTT (W3C), each final a cue with its speaker as a voice span. */
public final class WebVttWriter {

    private WebVttWriter() {
    }

    public static String write(List<Caption> finals) {
        StringBuilder out = new StringBuilder("WEBVTT\n\n");
        int n = 1;
        for (Cue cue : Cue.of(finals)) {
            out.append(n++).append('\n')
                    .append(Cue.timestamp(cue.start(), '.')).append(" --> ").append(Cue.timestamp(cue.end(), '.')).append('\n');
            if (cue.speaker() != null && !cue.speaker().isBlank()) {
                out.append("<v ").append(escape(cue.speaker()).replace(">", "&gt;")).append('>');
            }
            out.append(escape(cue.text())).append("\n\n");
        }
        return out.toString();
    }

    /** Cue text may not hold '&', '<' or a blank line; '-->' would end the cue timing line. */
    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replaceAll("\\R+", " ").replaceAll("\\p{Cc}", " ");
    }
}
