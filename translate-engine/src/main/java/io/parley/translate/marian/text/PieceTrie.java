package io.parley.translate.marian.text;

import java.util.Arrays;

/**
 * A byte trie over vocabulary pieces, walked one byte at a time by the segmenter. The library
 * builds a Darts-clone double array for this; what matters for identical results is only which
 * pieces are prefixes of the text, which any exact trie answers, so this one is the simplest fast
 * form: one open-addressing hash table from (state, byte) to the next state.
 */
final class PieceTrie {

    /** What {@link #next} answers when no piece continues with that byte. */
    static final int NONE = -1;

    private final long[] keys;   // (state << 8 | byte) + 1; 0 marks an empty slot
    private final int[] targets;
    private final int mask;
    private final int[] values;  // per state: the piece id ending there, or -1

    private PieceTrie(long[] keys, int[] targets, int[] values) {
        this.keys = keys;
        this.targets = targets;
        this.mask = keys.length - 1;
        this.values = values;
    }

    /** The root state, where every walk starts. */
    static int root() {
        return 0;
    }

    /** The state after {@code b} from {@code state}, or {@link #NONE}. */
    int next(int state, byte b) {
        long key = ((long) state << 8 | (b & 0xFF)) + 1;
        int slot = hash(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return targets[slot];
            }
            if (k == 0) {
                return NONE;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of the piece spelled by the path to {@code state}, or -1. */
    int value(int state) {
        return values[state];
    }

    /** The id of exactly this key, or -1. */
    int get(byte[] key) {
        int state = root();
        for (byte b : key) {
            state = next(state, b);
            if (state == NONE) {
                return -1;
            }
        }
        return values[state];
    }

    /**
     * The length of the longest key that is a prefix of {@code text[from..end)}, or 0 if none
     * is (the library's {@code PrefixMatcher} for user-defined symbols).
     */
    int longestPrefix(byte[] text, int from, int end) {
        int state = root();
        int longest = 0;
        for (int i = from; i < end; i++) {
            state = next(state, text[i]);
            if (state == NONE) {
                break;
            }
            if (values[state] >= 0) {
                longest = i + 1 - from;
            }
        }
        return longest;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Builds the trie; keys must be distinct, value i goes with key i. */
    static PieceTrie build(byte[][] pieces, int[] ids) {
        int maxStates = 1;
        for (byte[] p : pieces) {
            maxStates += p.length;
        }
        int capacity = Integer.highestOneBit(Math.max(16, maxStates * 2 - 1)) << 1;
        long[] keys = new long[capacity];
        int[] targets = new int[capacity];
        int[] values = new int[maxStates];
        Arrays.fill(values, -1);
        int states = 1;
        int mask = capacity - 1;
        for (int i = 0; i < pieces.length; i++) {
            int state = 0;
            for (byte b : pieces[i]) {
                long key = ((long) state << 8 | (b & 0xFF)) + 1;
                int slot = hash(key) & mask;
                while (keys[slot] != 0 && keys[slot] != key) {
                    slot = (slot + 1) & mask;
                }
                if (keys[slot] == 0) {
                    keys[slot] = key;
                    targets[slot] = states++;
                }
                state = targets[slot];
            }
            values[state] = ids[i];
        }
        return new PieceTrie(keys, targets, Arrays.copyOf(values, states));
    }
}
