package io.parley.gateway.http;

import io.parley.speech.audio.AudioStreamFormat;
import io.parley.speech.recognizer.SessionOptions;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Deepgram's {@code /v1/listen} query parameters, checked. Those that shape Deepgram's own
 * models' output and have no counterpart here ({@code punctuate}, {@code smart_format},
 * {@code numerals}, {@code diarize}, ...) are accepted, so that a client's request is not refused
 * for them; Whisper punctuates and formats by itself, and what is not done is in the README.
 *
 * @param model       the model the client asked for: reported back, never refused
 * @param language    the recognizer's language, or {@code auto} ({@code multi}, {@code detect_language=true})
 * @param encoding    {@code linear16}, {@code opus} (Ogg Opus), or empty for audio in a WAV container
 * @param sampleRate  with {@code linear16}, required
 * @param channels    interleaved channels, mixed to one
 * @param interim     {@code interim_results}: partials as {@code is_final: false}
 * @param utteranceEndMs {@code utterance_end_ms}, or empty for no {@code UtteranceEnd}
 * @param vadEvents   {@code vad_events}: {@code SpeechStarted}
 * @param hints       {@code keywords} and {@code keyterm}, passed to the recognizer as terms to expect
 * @param translate   Parley's extension: languages to add translations in
 * @param utterances  {@code utterances=true} on a file: the {@code utterances} list
 * @param room        Parley's extension: the room this live stream speaks into
 */
record DeepgramOptions(String model, String language, Optional<String> encoding, int sampleRate, int channels,
                       boolean interim, OptionalInt utteranceEndMs, boolean vadEvents, List<String> hints,
                       List<String> translate, boolean utterances, Optional<String> room) {

    /** A parameter that cannot be used; the message says which and why. */
    static final class Invalid extends Exception {
        private final String code;

        Invalid(String code, String message) {
            super(message);
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    static DeepgramOptions parse(MultiMap q, Set<String> recognizable, Set<String> translatable, boolean identifies)
            throws Invalid {
        String model = Optional.ofNullable(q.get("model")).orElse("").strip();
        if (model.length() > 100) {
            throw new Invalid("invalid_request", "model names are at most 100 characters");
        }
        String lang = Optional.ofNullable(q.get("language")).orElse("").strip().toLowerCase(Locale.ROOT);
        boolean detect = "true".equalsIgnoreCase(q.get("detect_language"));
        String language;
        if (lang.equals("multi") || detect || lang.isEmpty() && identifies) {
            language = SessionOptions.AUTO;
        } else {
            String base = lang.isEmpty() ? "en" : lang.split("[-_]")[0];
            if (!recognizable.contains(base)) {
                throw new Invalid("unsupported_language", "language '" + clip(lang) + "' is not one this server recognises;"
                        + " it has " + String.join(", ", new java.util.TreeSet<>(recognizable)) + " (or multi)");
            }
            language = base;
        }
        Optional<String> encoding = Optional.ofNullable(q.get("encoding")).map(e -> e.strip().toLowerCase(Locale.ROOT));
        if (encoding.isPresent() && !encoding.get().equals("linear16") && !encoding.get().equals("opus")) {
            throw new Invalid("unknown_format", "encoding '" + clip(encoding.get()) + "' is not supported here: stream"
                    + " linear16 (with sample_rate), opus (Ogg Opus), or audio in a WAV container without encoding");
        }
        int rate = integer(q, "sample_rate", 0, 8000, 48_000);
        boolean pcm = encoding.isPresent() && encoding.get().equals("linear16");
        if (pcm && !AudioStreamFormat.PCM_RATES.contains(rate)) {
            throw new Invalid("unsupported_sample_rate", "encoding=linear16 needs sample_rate, one of "
                    + AudioStreamFormat.PCM_RATES.stream().sorted().toList() + (rate == 0 ? "" : ", not " + rate));
        }
        int channels = integer(q, "channels", 1, 1, 2);
        boolean interim = bool(q, "interim_results");
        OptionalInt utteranceEnd = q.contains("utterance_end_ms")
                ? OptionalInt.of(integer(q, "utterance_end_ms", 1000, 1000, 5000)) : OptionalInt.empty();
        String endpointing = q.get("endpointing");
        if (endpointing != null && !endpointing.equalsIgnoreCase("false") && !endpointing.matches("\\d{1,5}")) {
            throw new Invalid("invalid_request", "endpointing takes milliseconds or false, not '" + clip(endpointing) + "'");
        }
        List<String> hints = new ArrayList<>();
        for (String name : List.of("keywords", "keyterm")) {
            for (String k : q.getAll(name)) {
                String term = k.replaceAll(":-?\\d+(\\.\\d+)?$", "").strip(); // keywords may carry a boost, "word:2"
                if (!term.isEmpty() && hints.size() < 100) {
                    hints.add(clip(term, 100));
                }
            }
        }
        List<String> translate = new ArrayList<>();
        for (String t : q.getAll("translate")) {
            for (String l : t.split(",")) {
                String target = l.strip().toLowerCase(Locale.ROOT);
                if (target.isEmpty()) {
                    continue;
                }
                if (!translatable.contains(target)) {
                    throw new Invalid("unsupported_language", "translate=" + clip(target) + ": this server translates into "
                            + String.join(", ", new java.util.TreeSet<>(translatable)));
                }
                if (!translate.contains(target)) {
                    translate.add(target);
                }
            }
        }
        Optional<String> room = Optional.ofNullable(q.get("room")).map(String::strip).filter(r -> !r.isEmpty());
        return new DeepgramOptions(model, language, encoding, rate, channels, interim, utteranceEnd, bool(q, "vad_events"),
                List.copyOf(hints), List.copyOf(translate), bool(q, "utterances"), room);
    }

    private static boolean bool(MultiMap q, String name) {
        return "true".equalsIgnoreCase(q.get(name));
    }

    private static int integer(MultiMap q, String name, int dflt, int min, int max) throws Invalid {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Invalid(name.equals("sample_rate") ? "unsupported_sample_rate"
                    : name.equals("channels") ? "unsupported_channels" : "invalid_request",
                    name + " takes a whole number from " + min + " to " + max + ", not '" + clip(v) + "'");
        }
    }

    private static String clip(String s) {
        return clip(s, 40);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
