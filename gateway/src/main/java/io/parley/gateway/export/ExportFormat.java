package io.parley.gateway.export;

import io.parley.gateway.room.Caption;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The transcript formats of {@code GET /v1/rooms/{room}/transcript?format=}. */
public enum ExportFormat {
    JSON("json", "application/json; charset=utf-8"),
    VTT("vtt", "text/vtt; charset=utf-8"),
    SRT("srt", "application/x-subrip; charset=utf-8");

    private final String name;
    private final String contentType;

    ExportFormat(String name, String contentType) {
        this.name = name;
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static Optional<ExportFormat> parse(String name) {
        String wanted = name == null ? "json" : name;
        return Arrays.stream(values()).filter(f -> f.name.equals(wanted)).findFirst();
    }

    public String render(String room, String lang, List<Caption> finals) {
        return switch (this) {
            case JSON -> TranscriptJsonWriter.write(room, lang, finals);
            case VTT -> WebVttWriter.write(finals);
            case SRT -> SrtWriter.write(finals);
        };
    }
}
