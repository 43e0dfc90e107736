package io.parley.gateway.export;

import io.parley.gateway.room.Caption;

import java.util.List;

/** A transcript as SubRip (.srt): numbered cues, comma before the milliseconds. */
public final class SrtWriter {

    private SrtWriter() {
    }

    public static String write(List<Caption> finals) {
        StringBuilder out = new StringBuilder();
        int n = 1;
        for (Cue cue : Cue.of(finals)) {
            out.append(n++).append('\n')
                    .append(Cue.timestamp(cue.start(), ',')).append(" --> ").append(Cue.timestamp(cue.end(), ',')).append('\n');
            if (cue.speaker() != null && !cue.speaker().isBlank()) {
                out.append(plain(cue.speaker())).append(": ");
            }
            out.append(plain(cue.text())).append("\n\n");
        }
        return out.toString();
    }

    /**
     * Cue text as text. SubRip has no escaping, yet players read markup in it: HTML-like tags
     * ({@code <font color=...>}, {@code <i>}), ASS override blocks ({@code {\an8}} moves a cue,
     * {@code {\pos(...)}}), and {@code \N} line breaks once converted for libass. So the characters
     * that open markup are written as their full-width look-alikes, which every player shows as
     * they are; line breaks and other control characters become spaces, so that a cue cannot end
     * early or fake a timing line.
     */
    static String plain(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append('\uFF1C');
                case '>' -> b.append('\uFF1E');
                case '{' -> b.append('\uFF5B');
                case '}' -> b.append('\uFF5D');
                case '\\' -> b.append('\uFF3C');
                default -> b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
            }
        }
        return b.toString().replaceAll(" {2,}", " ").strip();
    }
}
