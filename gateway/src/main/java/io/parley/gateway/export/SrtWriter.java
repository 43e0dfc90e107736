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
                out.append(cue.speaker()).append(": ");
            }
            out.append(cue.text().replaceAll("\\R+", " ")).append("\n\n");
        }
        return out.toString();
    }
}
