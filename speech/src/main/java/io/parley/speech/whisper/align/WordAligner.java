package io.parley.speech.whisper.align;

import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.Task;
import io.parley.speech.whisper.decode.WordTiming;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.text.WhisperTokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Word timestamps from the cross-attention of the heads that follow the audio (the model's
 * {@code alignment_heads}), as OpenAI's Whisper computes them: the decoder reads the window's
 * text once more; each alignment head's attention over the audio actually present is
 * standardised across tokens and median-filtered over time; the heads are averaged; dynamic
 * time warping finds the monotonic path through it; a word starts where the path reaches its
 * first token.
 */
public final class WordAligner {

    /** Encoder positions per second: one every 20 ms. */
    private static final double POSITIONS_PER_SECOND = 50.0;
    private static final int MEDIAN_FILTER = 7;
    private static final String PREPEND = "\"'“¿([{-";
    private static final String APPEND = "\"'.。,，!！?？:：”)]}、";
    /** Scripts written without spaces between words: split at characters. */
    private static final Set<String> NO_SPACES = Set.of("zh", "ja", "th", "lo", "my", "yue");

    private final WhisperModel model;
    private final WhisperTokenizer tokenizer;
    private final int[][] heads;

    public WordAligner(WhisperModel model, WhisperTokenizer tokenizer, int[][] alignmentHeads) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.heads = alignmentHeads;
    }

    /**
     * @param encoded    the window the text was decoded from
     * @param result     its decoding (text tokens and their log-probabilities are used)
     * @param task       transcribe or translate (the decoder reads the same prompt as before)
     * @param frames     mel frames of real audio in the window (the rest is padding)
     * @param offset     seconds of the window's start in the stream
     */
    /**
     * The words of a window and, for each, the index just past its last text token (so that
     * callers can tell which segment each word belongs to).
     */
    public record Alignment(List<WordTiming> words, int[] endTokens) {
        static final Alignment EMPTY = new Alignment(List.of(), new int[0]);
    }

    public Alignment align(WhisperModel.Encoded encoded, DecodingResult result, Task task, int frames,
                           double offset) {
        List<Integer> textTokens = new ArrayList<>();
        List<Float> textLogProbs = new ArrayList<>();
        for (int i = 0; i < result.tokens().length; i++) {
            if (result.tokens()[i] < tokenizer.eot) {
                textTokens.add(result.tokens()[i]);
                textLogProbs.add(result.tokenLogProbs()[i]);
            }
        }
        if (textTokens.isEmpty()) {
            return Alignment.EMPTY;
        }
        List<Integer> prompt = new ArrayList<>();
        prompt.add(tokenizer.sot);
        if (model.dims().multilingual()) {
            prompt.add(tokenizer.language(result.language()));
            prompt.add(task == Task.TRANSLATE ? tokenizer.translate : tokenizer.transcribe);
        }
        int sotLength = prompt.size();
        prompt.add(tokenizer.noTimestamps);
        prompt.addAll(textTokens);
        prompt.add(tokenizer.eot);
        int[] tokens = prompt.stream().mapToInt(Integer::intValue).toArray();
        WhisperModel.CrossAttention att;
        try (WhisperModel.DecoderState state = model.newState(encoded)) {
            att = model.crossAttention(state, tokens, heads);
        }
        int positions = Math.max(1, Math.min(att.positions(), frames / 2));
        int n = att.tokens();
        float[][] matrix = new float[n][positions];
        for (float[] w : att.weights()) {
            float[][] head = new float[n][positions];
            for (int i = 0; i < n; i++) {
                int row = i * att.positions();
                double sum = 0;
                for (int j = 0; j < positions; j++) {
                    sum += w[row + j];
                }
                for (int j = 0; j < positions; j++) {
                    head[i][j] = (float) (w[row + j] / sum); // softmax over the real audio only
                }
            }
            standardiseColumns(head);
            for (int i = 0; i < n; i++) {
                float[] filtered = medianFilter(head[i], MEDIAN_FILTER);
                for (int j = 0; j < positions; j++) {
                    matrix[i][j] += filtered[j] / heads.length;
                }
            }
        }
        // Rows from the no-timestamps token (which predicts the first text token) to the last text token.
        float[][] cost = new float[textTokens.size() + 1][];
        for (int i = 0; i < cost.length; i++) {
            float[] row = matrix[sotLength + i];
            cost[i] = new float[positions];
            for (int j = 0; j < positions; j++) {
                cost[i][j] = -row[j];
            }
        }
        Dtw.Path path = Dtw.align(cost);
        // The time at which the path first reaches each token row.
        double[] tokenStart = new double[cost.length];
        Arrays.fill(tokenStart, -1);
        int previousRow = -1;
        for (int k = 0; k < path.rows().length; k++) {
            if (path.rows()[k] != previousRow) {
                tokenStart[path.rows()[k]] = path.cols()[k] / POSITIONS_PER_SECOND;
                previousRow = path.rows()[k];
            }
        }
        return words(textTokens, textLogProbs, tokenStart, result.language(), offset);
    }

    private Alignment words(List<Integer> tokens, List<Float> logProbs, double[] tokenStart, String language,
                            double offset) {
        // Group tokens into words: a new word at a token that decodes to a leading space, at
        // punctuation, or (scripts without spaces) at every complete character.
        List<String> words = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        boolean bySpace = !NO_SPACES.contains(language);
        int i = 0;
        while (i < tokens.size()) {
            int j = i + 1;
            // Extend until the bytes so far form complete UTF-8 characters.
            while (j < tokens.size() && !completeUtf8(tokens.subList(i, j))) {
                j++;
            }
            String piece = decode(tokens.subList(i, j));
            boolean startsWord = !bySpace || words.isEmpty() || piece.startsWith(" ") || isPunctuation(piece.strip());
            if (startsWord) {
                words.add(piece);
                spans.add(new int[]{i, j});
            } else {
                words.set(words.size() - 1, words.getLast() + piece);
                spans.getLast()[1] = j;
            }
            i = j;
        }
        mergePunctuation(words, spans);
        List<WordTiming> out = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        for (int w = 0; w < words.size(); w++) {
            int[] span = spans.get(w);
            if (span[1] <= span[0]) {
                continue;
            }
            ends.add(span[1]);
            double start = tokenStart[span[0]];
            double end = tokenStart[Math.min(span[1], tokenStart.length - 1)];
            double p = 0;
            for (int t = span[0]; t < span[1]; t++) {
                p += Math.exp(logProbs.get(t));
            }
            out.add(new WordTiming(words.get(w), offset + start, offset + Math.max(start, end), p / (span[1] - span[0])));
        }
        return new Alignment(out, ends.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Punctuation that opens a word joins the next word; punctuation that closes one joins the previous. */
    private static void mergePunctuation(List<String> words, List<int[]> spans) {
        for (int w = words.size() - 2; w >= 0; w--) {
            String s = words.get(w).strip();
            if (!s.isEmpty() && s.chars().allMatch(c -> PREPEND.indexOf(c) >= 0) && words.get(w).startsWith(" ")) {
                words.set(w + 1, words.get(w) + words.get(w + 1).strip());
                spans.get(w + 1)[0] = spans.get(w)[0];
                words.set(w, "");
                spans.get(w)[1] = spans.get(w)[0];
            }
        }
        for (int w = 1; w < words.size(); w++) {
            String s = words.get(w);
            if (!s.isEmpty() && !s.startsWith(" ") && s.chars().allMatch(c -> APPEND.indexOf(c) >= 0)) {
                int prev = w - 1;
                while (prev > 0 && words.get(prev).isEmpty()) {
                    prev--;
                }
                words.set(prev, words.get(prev) + s);
                spans.get(prev)[1] = spans.get(w)[1];
                words.set(w, "");
                spans.get(w)[0] = spans.get(w)[1];
            }
        }
        for (int w = words.size() - 1; w >= 0; w--) {
            if (words.get(w).isEmpty()) {
                words.remove(w);
                spans.remove(w);
            }
        }
    }

    private static boolean isPunctuation(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> !Character.isLetterOrDigit(c));
    }

    private boolean completeUtf8(List<Integer> tokens) {
        byte[] bytes = bytes(tokens);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
            if (i + len > bytes.length) {
                return false;
            }
            i += len;
        }
        return true;
    }

    private byte[] bytes(List<Integer> tokens) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int t : tokens) {
            out.writeBytes(tokenizer.tokenBytes(t));
        }
        return out.toByteArray();
    }

    private String decode(List<Integer> tokens) {
        return new String(bytes(tokens), StandardCharsets.UTF_8);
    }

    /** Each column (an audio position) scaled to zero mean and unit deviation across tokens. */
    private static void standardiseColumns(float[][] m) {
        int n = m.length;
        int cols = m[0].length;
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (float[] row : m) {
                mean += row[j];
            }
            mean /= n;
            double var = 0;
            for (float[] row : m) {
                var += (row[j] - mean) * (row[j] - mean);
            }
            double std = Math.sqrt(var / n);
            for (float[] row : m) {
                row[j] = (float) (std > 0 ? (row[j] - mean) / std : 0);
            }
        }
    }

    /** Median over a centred window, the edges reflected (SciPy's and OpenAI's choice). */
    static float[] medianFilter(float[] x, int width) {
        int half = width / 2;
        if (x.length <= half) {
            return x.clone();
        }
        float[] out = new float[x.length];
        float[] window = new float[width];
        for (int i = 0; i < x.length; i++) {
            for (int k = -half; k <= half; k++) {
                int j = i + k;
                if (j < 0) {
                    j = -j;
                } else if (j >= x.length) {
                    j = 2 * (x.length - 1) - j;
                }
                window[k + half] = x[j];
            }
            Arrays.sort(window);
            out[i] = window[half];
        }
        return out;
    }
}
