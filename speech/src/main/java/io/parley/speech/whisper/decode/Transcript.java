package io.parley.speech.whisper.decode;

import java.util.List;
import java.util.stream.Collectors;

/** A whole recording transcribed: its language and its segments in order. */
public record Transcript(String language, List<Segment> segments) {

    public String text() {
        return segments.stream().map(Segment::text).collect(Collectors.joining()).strip();
    }
}
