package io.parley.translate.marian.text;

import io.parley.translate.marian.text.ModelProto.NormalizerSpec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * SentencePiece's text normalizer, step for step: the model's compiled rules
 * ({@code precompiled_charsmap}, e.g. nmt_nfkc), then its whitespace options. It must be this
 * and not {@link java.text.Normalizer}: nmt_nfkc is NFKC plus SentencePiece's own changes
 * (control characters dropped, many spaces turned into ' ', ...) frozen into the model file, and
 * a token id differs as soon as one character does.
 *
 * <p>The compiled rules are a Darts-clone trie over UTF-8 keys whose values point into a blob of
 * NUL-terminated replacement strings; at each position the longest key that matches is replaced,
 * and where none does the character is kept as it is (a malformed byte becomes U+FFFD). Then:
 * leading whitespace is dropped and runs collapse to one ({@code remove_extra_whitespaces}), a
 * space is put in front ({@code add_dummy_prefix}), spaces become U+2581 '▁'
 * ({@code escape_whitespaces}) and trailing ones are dropped.
 *
 * <p>User-defined symbols (from the model) are matched first and copied unnormalized, as the
 * library does, so that a placeholder survives normalization whatever it contains.
 *
 * <p>Immutable, so safe to share between threads.
 */
public final class Normalizer {

    /** U+2581 LOWER ONE EIGHTH BLOCK, SentencePiece's visible space. */
    static final byte[] SPACE_SYMBOL = {(byte) 0xE2, (byte) 0x96, (byte) 0x81};

    /** The library asks the trie for at most this many matches per position. */
    private static final int MAX_TRIE_RESULTS = 32;

    private final NormalizerSpec spec;
    private final boolean whitespaceAsSuffix;
    private final DoubleArrayTrie rules;       // null: no rules (identity)
    private final byte[] replacements;         // NUL-terminated strings the rules point into
    private final PieceTrie userDefined;       // null: none

    /**
     * Text after normalization with, for every byte of it, the position in the original it came
     * from: {@code origin[i]} is the UTF-8 byte offset in the input of normalized byte {@code i},
     * and {@code origin[length]} is where the consumed input ends. Useful to map tokens back to
     * the input (protected spans, alignment).
     */
    public record Normalized(byte[] utf8, int[] origin) {

        public String text() {
            return new String(utf8, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param spec               the model's normalizer spec
     * @param whitespaceAsSuffix the trainer's {@code treat_whitespace_as_suffix} (the dummy space
     *                           goes at the end instead)
     * @param userDefined        the model's user-defined symbols, or null
     * @throws ModelFormatException when the compiled rules are broken
     */
    Normalizer(NormalizerSpec spec, boolean whitespaceAsSuffix, PieceTrie userDefined) throws ModelFormatException {
        this.spec = spec;
        this.whitespaceAsSuffix = whitespaceAsSuffix;
        this.userDefined = userDefined;
        byte[] blob = spec.precompiledCharsmap();
        if (blob.length == 0) {
            rules = null;
            replacements = null;
            return;
        }
        // <trie size: uint32 little-endian><trie units><replacement strings>
        if (blob.length <= 4) {
            throw new ModelFormatException("the normalization rules (" + spec.name() + ") in the model are broken");
        }
        long trieSize = (blob[0] & 0xFFL) | (blob[1] & 0xFFL) << 8 | (blob[2] & 0xFFL) << 16 | (blob[3] & 0xFFL) << 24;
        if (trieSize >= blob.length || trieSize % 4 != 0 || trieSize == 0) {
            throw new ModelFormatException("the normalization rules (" + spec.name()
                    + ") in the model are broken: the trie size exceeds the data");
        }
        int[] units = new int[(int) (trieSize / 4)];
        for (int i = 0; i < units.length; i++) {
            int p = 4 + 4 * i;
            units[i] = (blob[p] & 0xFF) | (blob[p + 1] & 0xFF) << 8 | (blob[p + 2] & 0xFF) << 16 | (blob[p + 3] & 0xFF) << 24;
        }
        rules = new DoubleArrayTrie(units);
        replacements = Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
    }

    public NormalizerSpec spec() {
        return spec;
    }

    public Normalized normalize(String text) {
        return normalize(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Normalizes UTF-8 text (malformed bytes become U+FFFD, one per byte). */
    public Normalized normalize(byte[] input) {
        Output out = new Output(input.length * 3 + 4);
        Prefix p = new Prefix();
        int pos = 0;
        int end = input.length;
        if (end == 0) {
            return new Normalized(new byte[0], new int[0]);
        }
        boolean removeExtra = spec.removeExtraWhitespaces();
        boolean escape = spec.escapeWhitespaces();

        // Leading whitespace: whatever normalizes to exactly one space is dropped.
        if (removeExtra) {
            while (pos < end) {
                prefix(input, pos, end, p);
                if (!(p.length == 1 && p.source[p.offset] == ' ')) {
                    break;
                }
                pos += p.consumed;
            }
        }
        if (pos == end) {
            return new Normalized(new byte[0], new int[0]);
        }

        if (!whitespaceAsSuffix && spec.addDummyPrefix()) {
            out.space(escape, pos);
        }
        boolean prevSpace = removeExtra;
        while (pos < end) {
            prefix(input, pos, end, p);
            int from = p.offset;
            int to = p.offset + p.length;
            // After a space, further leading spaces of this piece are extra.
            while (prevSpace && from < to && p.source[from] == ' ') {
                from++;
            }
            if (from < to) {
                for (int i = from; i < to; i++) {
                    byte b = p.source[i];
                    if (escape && b == ' ') {
                        out.space(true, pos);
                    } else {
                        out.add(b, pos);
                    }
                }
                prevSpace = p.source[to - 1] == ' ';
            }
            pos += p.consumed;
            if (!removeExtra) {
                prevSpace = false;
            }
        }

        int consumed = pos;
        if (removeExtra) {
            byte[] space = escape ? SPACE_SYMBOL : new byte[] {' '};
            while (out.endsWith(space)) {
                int length = out.size - space.length;
                consumed = out.origin[length];
                out.size = length;
            }
        }
        if (whitespaceAsSuffix && spec.addDummyPrefix()) {
            out.space(escape, consumed);
        }
        return new Normalized(Arrays.copyOf(out.bytes, out.size), Arrays.copyOf(out.originWithEnd(consumed), out.size + 1));
    }

    /** One normalization step: what {@code consumed} input bytes become. */
    private static final class Prefix {
        byte[] source;
        int offset;
        int length;
        int consumed;
        final int[] lengths = new int[MAX_TRIE_RESULTS];
        final int[] values = new int[MAX_TRIE_RESULTS];
    }

    /** The library's {@code NormalizePrefix}: the replacement for the text at {@code pos}. */
    private void prefix(byte[] input, int pos, int end, Prefix p) {
        if (userDefined != null) {
            int length = userDefined.longestPrefix(input, pos, end);
            if (length > 0) {
                set(p, input, pos, length, length);
                return;
            }
        }
        if (rules != null) {
            int found = rules.commonPrefixSearch(input, pos, end, p.lengths, p.values);
            int longest = 0;
            int value = 0;
            for (int k = 0; k < found; k++) {
                if (longest == 0 || p.lengths[k] > longest) {
                    longest = p.lengths[k];
                    value = p.values[k];
                }
            }
            if (longest > 0 && value >= 0 && value < replacements.length) {
                int stop = value;
                while (stop < replacements.length && replacements[stop] != 0) {
                    stop++;
                }
                set(p, replacements, value, stop - value, longest);
                return;
            }
        }
        int length = Utf8.validLength(input, pos, end);
        if (length == 0) {
            set(p, Utf8.REPLACEMENT, 0, 3, 1);
        } else {
            set(p, input, pos, length, length);
        }
    }

    private static void set(Prefix p, byte[] source, int offset, int length, int consumed) {
        p.source = source;
        p.offset = offset;
        p.length = length;
        p.consumed = consumed;
    }

    /** The growing normalized text and its origin offsets. */
    private static final class Output {
        byte[] bytes;
        int[] origin;
        int size;

        Output(int capacity) {
            bytes = new byte[capacity];
            origin = new int[capacity];
        }

        void add(byte b, int from) {
            if (size == bytes.length) {
                bytes = Arrays.copyOf(bytes, size * 2 + 8);
                origin = Arrays.copyOf(origin, size * 2 + 8);
            }
            bytes[size] = b;
            origin[size++] = from;
        }

        void space(boolean escape, int from) {
            if (escape) {
                for (byte b : SPACE_SYMBOL) {
                    add(b, from);
                }
            } else {
                add((byte) ' ', from);
            }
        }

        boolean endsWith(byte[] suffix) {
            if (size < suffix.length) {
                return false;
            }
            for (int i = 0; i < suffix.length; i++) {
                if (bytes[size - suffix.length + i] != suffix[i]) {
                    return false;
                }
            }
            return true;
        }

        int[] originWithEnd(int consumed) {
            if (size == origin.length) {
                origin = Arrays.copyOf(origin, size + 1);
            }
            origin[size] = consumed;
            return origin;
        }
    }
}
