package io.parley.gateway.export;

import io.parley.gateway.room.Caption;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A final as a subtitle cue on the room's time line (several speakers started at different
 * times), with the guarantees players rely on: cues in order of start, and each lasting a
 * positive time.
 */
record Cue(double start, double end, String speaker, String text) {

    /** Shortest cue shown, for finals whose words carried no usable times. */
    static final double MIN_DURATION = 0.5;

    static List<Cue> of(List<Caption> finals) {
        List<Cue> cues = new ArrayList<>(finals.size());
        for (Caption c : finals) {
            double start = c.streamOffset() + c.start();
            double end = Math.max(c.streamOffset() + c.end(), start + MIN_DURATION);
            cues.add(new Cue(start, end, c.speaker(), c.text()));
        }
        cues.sort(Comparator.comparingDouble(Cue::start));
        return cues;
    }

    /** hh:mm:ss{sep}mmm */
    static String timestamp(double seconds, char millisSeparator) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d",
                ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, millisSeparator, ms % 1000);
    }
}
