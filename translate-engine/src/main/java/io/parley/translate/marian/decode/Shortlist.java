package io.parley.translate.marian.decode;

import io.parley.translate.marian.model.MarianModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Marian's lexical shortlist ({@code lex.F.B.s2t.bin}): for each source token, the target tokens
 * most likely to translate it. A sentence's output layer is computed only over the first
 * {@code F} target ids (the most frequent words, EOS among them) and the lists of its source
 * tokens — a few hundred rows of the 32,000, which is most of the decoder's speed.
 *
 * <p>File: a header of six little-endian uint64 (magic, checksum, F, B, offsets count,
 * list length), the offsets into the lists (one per source id, plus one), and the lists
 * (uint32 target ids).
 */
public final class Shortlist {

    static final long MAGIC = 0xF11A48D5013417F5L;

    private final int firstNum;
    private final long[] offsets;
    private final int[] lists;
    private final int targetVocab;

    private Shortlist(int firstNum, long[] offsets, int[] lists, int targetVocab) {
        this.firstNum = firstNum;
        this.offsets = offsets;
        this.lists = lists;
        this.targetVocab = targetVocab;
    }

    public static Shortlist load(Path file, int targetVocab) throws IOException {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        String what = file.getFileName().toString();
        if (b.capacity() < 48 || b.getLong(0) != MAGIC) {
            throw new MarianModelException(what + " is not a Marian binary shortlist (lex.*.s2t.bin)");
        }
        long first = b.getLong(16);
        long offsetsCount = b.getLong(32);
        long listLength = b.getLong(40);
        long expected = 48 + 8 * offsetsCount + 4 * listLength;
        if (first < 0 || first > targetVocab || offsetsCount < 1 || offsetsCount > 10_000_000 || listLength < 0
                || expected != b.capacity()) {
            throw new MarianModelException(what + " is truncated or damaged: its header describes " + expected
                    + " bytes and the file has " + b.capacity());
        }
        long[] offsets = new long[(int) offsetsCount];
        b.position(48);
        b.asLongBuffer().get(offsets);
        int[] lists = new int[(int) listLength];
        b.position((int) (48 + 8 * offsetsCount));
        b.asIntBuffer().get(lists);
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1] || offsets[i] > listLength) {
                throw new MarianModelException(what + " has offsets out of order at source id " + i);
            }
        }
        for (int t : lists) {
            if (t < 0 || t >= targetVocab) {
                throw new MarianModelException(what + " names target id " + t + ", beyond the vocabulary of "
                        + targetVocab);
            }
        }
        return new Shortlist((int) first, offsets, lists, targetVocab);
    }

    /** The sorted target ids for sentences made of these source ids. */
    public int[] targets(int[]... sources) {
        BitSet set = new BitSet(targetVocab);
        set.set(0, firstNum);
        for (int[] source : sources) {
            for (int s : source) {
                if (s >= 0 && s + 1 < offsets.length) {
                    for (long i = offsets[s]; i < offsets[s + 1]; i++) {
                        set.set(lists[(int) i]);
                    }
                }
            }
        }
        return set.stream().toArray();
    }
}
