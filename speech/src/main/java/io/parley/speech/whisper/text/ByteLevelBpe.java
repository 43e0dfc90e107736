package io.parley.speech.whisper.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level byte-pair encoding, which Whisper's tokenizer uses: text is split by
 * GPT-2's pattern into words (with their leading space), each word's UTF-8 bytes are mapped to
 * printable characters one for one, and adjacent symbols are merged, lowest rank first, until no
 * pair makes a token. Any byte sequence is encodable; decoding maps the characters back to bytes,
 * so multi-byte characters split across tokens come out whole.
 *
 * <p>A merge's rank is the id of the token it makes, as in tiktoken, with which Whisper's text
 * was tokenized for training: its ids are the merges' ranks. The merge list in the tokenizer.json
 * of the Whisper model packages lacks the first merge ("Ġ t", token 256), so with it every word
 * that begins with " t" (" the", " to", " then") came out as a space and the rest of the word,
 * a tokenization Whisper never saw, in the forced prefixes, hints and drafts that Parley feeds it.
 */
final class ByteLevelBpe {

    /** GPT-2's pre-tokenizer: contractions, letters, digits, other symbols, runs of spaces. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        // Printable Latin-1 bytes stand for themselves; the others are given the code points
        // 256, 257, ... in order, so that every byte has a visible, unambiguous character.
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private final Map<String, Integer> vocab;
    /** Special tokens' texts: no merge makes one, whatever the text says. */
    private final Set<String> special;
    private final Map<String, int[]> cache = new LinkedHashMap<>(4096, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > 20_000;
        }
    };

    ByteLevelBpe(Map<String, Integer> vocab, Set<String> special) {
        this.vocab = vocab;
        this.special = Set.copyOf(special);
    }

    int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = WORDS.matcher(text);
        while (m.find()) {
            for (int id : encodeWord(m.group())) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private synchronized int[] encodeWord(String word) {
        int[] cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(String.valueOf(BYTE_TO_CHAR[b & 0xff]));
        }
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                String pair = symbols.get(i) + symbols.get(i + 1);
                Integer rank = special.contains(pair) ? null : vocab.get(pair);
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            // Merge every occurrence of the best pair, left to right, as the reference does.
            String left = symbols.get(best);
            String right = symbols.get(best + 1);
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                    merged.add(left + right);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(symbols.get(i));
            if (id == null) {
                throw new IllegalStateException("the vocabulary has no token for '" + symbols.get(i) + "'");
            }
            ids[i] = id;
        }
        cache.put(word, ids);
        return ids;
    }

    /** The bytes a token's characters stand for. */
    static byte[] tokenBytes(String token) {
        byte[] out = new byte[token.length()];
        int n = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                // Not a byte-level character (a special token's text): its own UTF-8.
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out = Arrays.copyOf(out, out.length + utf8.length);
                System.arraycopy(utf8, 0, out, n, utf8.length);
                n += utf8.length;
            } else {
                out[n++] = (byte) b;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
