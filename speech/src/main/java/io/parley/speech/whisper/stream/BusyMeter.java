package io.parley.speech.whisper.stream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The fraction of the last {@code window} nanoseconds in which a worker was busy, from the
 * intervals its threads report: the union of the intervals, so that two lanes busy at once count
 * once (the model was busy), and one lane idle beside a busy one does not halve it. Any thread
 * may report or read.
 */
final class BusyMeter {

    private record Interval(long start, long end) {
    }

    private final long window;
    private final Deque<Interval> intervals = new ArrayDeque<>();

    BusyMeter(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("the window must be positive");
        }
        this.window = windowNanos;
    }

    /** The worker was busy from {@code start} to {@code end} (System.nanoTime()). */
    synchronized void busy(long start, long end) {
        if (end <= start) {
            return;
        }
        // Merge with the intervals it overlaps (another lane's, reported while this one ran).
        long s = start;
        long e = end;
        while (!intervals.isEmpty() && intervals.peekLast().end() >= s) {
            Interval last = intervals.removeLast();
            s = Math.min(s, last.start());
            e = Math.max(e, last.end());
        }
        intervals.addLast(new Interval(s, e));
        forget(e);
    }

    /** The busy fraction of the window that ends at {@code now}, 0 to 1. */
    synchronized double utilisation(long now) {
        forget(now);
        long from = now - window;
        long busyNanos = 0;
        for (Interval i : intervals) {
            busyNanos += Math.max(0, Math.min(i.end(), now) - Math.max(i.start(), from));
        }
        return Math.clamp(busyNanos / (double) window, 0.0, 1.0);
    }

    private void forget(long now) {
        while (!intervals.isEmpty() && intervals.peekFirst().end() <= now - window) {
            intervals.removeFirst();
        }
    }
}
