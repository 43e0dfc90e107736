package io.parley.translate.marian.text;

/**
 * A read-only Darts-clone double-array trie, the structure SentencePiece stores its compiled
 * normalization rules in ({@code precompiled_charsmap}). Each 32-bit unit packs a label, an
 * offset to its children and a has-leaf bit; a key's value sits in the leaf unit reached with
 * label 0. Reading the array as it is, rather than rebuilding rules from it, keeps lookups
 * identical to the library's.
 */
final class DoubleArrayTrie {

    private final int[] units;

    /** @param units the little-endian units as ints, in file order */
    DoubleArrayTrie(int[] units) {
        this.units = units;
    }

    int size() {
        return units.length;
    }

    private static boolean hasLeaf(int unit) {
        return ((unit >>> 8) & 1) == 1;
    }

    private static int value(int unit) {
        return unit & 0x7FFFFFFF;
    }

    /** The label, with the top bit kept so that leaf units never match a byte. */
    private static int label(int unit) {
        return unit & (0x80000000 | 0xFF);
    }

    private static int offset(int unit) {
        return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
    }

    /**
     * Darts-clone's {@code commonPrefixSearch}: follows {@code key[from..end)} byte by byte and
     * reports each prefix that is a key, shortest first, until the path ends. Only the first
     * {@code maxResults} matches are reported, as in the library, which asks for at most 32.
     *
     * @param lengths receives the byte lengths of the matching prefixes
     * @param values  receives their values
     * @return the number of matches written
     */
    int commonPrefixSearch(byte[] key, int from, int end, int[] lengths, int[] values) {
        int found = 0;
        int node = offset(units[0]);
        for (int i = from; i < end; i++) {
            int b = key[i] & 0xFF;
            node ^= b;
            if (node < 0 || node >= units.length) {
                return found; // a broken array: treat as the end of the path, never read past it
            }
            int unit = units[node];
            if (label(unit) != b) {
                return found;
            }
            node ^= offset(unit);
            if (hasLeaf(unit) && node >= 0 && node < units.length) {
                if (found < lengths.length) {
                    lengths[found] = i + 1 - from;
                    values[found] = value(units[node]);
                    found++;
                }
            }
        }
        return found;
    }
}
