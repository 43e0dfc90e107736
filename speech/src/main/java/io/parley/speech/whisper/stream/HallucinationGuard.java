package io.parley.speech.whisper.stream;

import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.decode.WordTiming;
import io.parley.speech.whisper.text.WhisperTokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a decoded window may not show, however sure the decoder was: a loop of the same words
 * (cut after its second occurrence, across segment boundaries too), a segment that only repeats
 * the one before it, and text that compresses like a loop (Whisper's compression-ratio test,
 * applied to each segment after the cut).
 */
final class HallucinationGuard {

    private HallucinationGuard() {
    }

    static List<Segment> clean(List<Segment> segments, WhisperTokenizer tokenizer, double compressionRatioThreshold) {
        // Loops across the whole window, word by word.
        List<WordTiming> all = new ArrayList<>();
        segments.forEach(s -> all.addAll(s.words()));
        int keep = RepetitionGuard.keep(all, w -> key(w.word()));
        List<Segment> out = new ArrayList<>();
        int seen = 0;
        String previous = null;
        for (Segment s : segments) {
            Segment kept = s;
            if (seen + s.words().size() > keep) {
                int n = Math.max(0, keep - seen);
                if (n == 0) {
                    break;
                }
                List<WordTiming> words = s.words().subList(0, n);
                StringBuilder text = new StringBuilder();
                words.forEach(w -> text.append(w.word()));
                kept = new Segment(s.start(), words.getLast().end(), tokenizer.encode(text.toString()),
                        text.toString(), words);
            }
            seen += s.words().size();
            String k = key(kept.text());
            if (k.isEmpty() || k.equals(previous) || WindowDecoder.compressionRatio(kept.text()) > compressionRatioThreshold) {
                continue;
            }
            previous = k;
            out.add(kept);
            if (kept != s) {
                break;
            }
        }
        return out;
    }

    private static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}']", "");
    }
}
