package io.parley.speech.whisper.decode;

import io.parley.speech.whisper.text.WhisperTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a window's tokens into segments at its timestamp pairs, as OpenAI's transcribe does,
 * and says how far the audio was consumed: up to the last closing timestamp, or the whole window
 * when the text ends with a lone timestamp (its last segment is complete) or has none.
 */
public final class Segmenter {

    /** The segments of a window and how many seconds of it they account for. */
    public record Split(List<Segment> segments, double consumedSeconds) {
    }

    private Segmenter() {
    }

    public static Split split(WhisperTokenizer tok, int[] tokens, double windowStart, double windowSeconds) {
        List<Segment> segments = new ArrayList<>();
        int n = tokens.length;
        boolean[] ts = new boolean[n];
        for (int i = 0; i < n; i++) {
            ts[i] = tok.isTimestamp(tokens[i]);
        }
        boolean singleTimestampEnding = n >= 2 && !ts[n - 2] && ts[n - 1];
        List<Integer> consecutive = new ArrayList<>();
        for (int i = 0; i + 1 < n; i++) {
            if (ts[i] && ts[i + 1]) {
                consecutive.add(i + 1);
            }
        }
        if (!consecutive.isEmpty()) {
            List<Integer> slices = new ArrayList<>(consecutive);
            if (singleTimestampEnding) {
                slices.add(n);
            }
            int last = 0;
            for (int cut : slices) {
                int[] part = Arrays.copyOfRange(tokens, last, cut);
                add(tok, segments, part, windowStart + tok.timestampSeconds(part[0]),
                        windowStart + tok.timestampSeconds(part[part.length - 1]));
                last = cut;
            }
            if (singleTimestampEnding) {
                return new Split(segments, windowSeconds);
            }
            return new Split(segments, tok.timestampSeconds(tokens[last - 1]));
        }
        double duration = windowSeconds;
        for (int i = n - 1; i >= 0; i--) {
            if (ts[i]) {
                if (tokens[i] != tok.timestampBegin) {
                    duration = tok.timestampSeconds(tokens[i]);
                }
                break;
            }
        }
        add(tok, segments, tokens, windowStart, windowStart + duration);
        return new Split(segments, windowSeconds);
    }

    private static void add(WhisperTokenizer tok, List<Segment> out, int[] tokens, double start, double end) {
        int[] text = Arrays.stream(tokens).filter(t -> t < tok.eot).toArray();
        if (text.length > 0) {
            out.add(new Segment(start, Math.max(start, end), text, tok.decode(text), List.of()));
        }
    }
}
