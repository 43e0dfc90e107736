package io.parley.gateway.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

/**
 * A room's caption numbers ({@code seq}). Numbers are reserved in the store a block at a time,
 * durably, before any of them is used, so that after a crash numbering resumes above every
 * number a viewer may have seen — a partial's included — and {@code since} never skips a final.
 * Used on the room's chain only.
 */
final class SeqNumbers {

    /** Seqs reserved at a time: one store write per this many captions. */
    static final long BLOCK = 1000;

    private final LongFunction<CompletableFuture<Void>> reserve;
    private long last;
    private long reserved;

    /**
     * @param reservedBefore what the store had reserved (numbering resumes there)
     * @param reserve        makes a reservation up to the given number durable
     */
    SeqNumbers(long reservedBefore, LongFunction<CompletableFuture<Void>> reserve) {
        this.last = reservedBefore;
        this.reserved = reservedBefore;
        this.reserve = reserve;
    }

    /** The next number; at the end of a block, once the next block is reserved. */
    CompletionStage<Long> next() {
        if (last + 1 < reserved) {
            return CompletableFuture.completedFuture(++last);
        }
        long upTo = Math.max(reserved, last) + BLOCK;
        return reserve.apply(upTo).thenApply(v -> {
            reserved = upTo;
            return ++last;
        });
    }

    /** The last number given out. */
    long last() {
        return last;
    }
}
