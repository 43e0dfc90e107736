package io.parley.kernels.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Runs the iterations of a {@code @Parallel} loop on the backend's threads, in contiguous
 * chunks. Small loops run on the calling thread: below {@code minPerTask} iterations per
 * task, handing work to another thread costs more than it saves.
 */
final class ParallelLoop {

    /** A chunk of iterations, {@code [from, to)}. */
    interface Body {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;

    ParallelLoop(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    int threads() {
        return threads;
    }

    void forRange(int n, int minPerTask, Body body) {
        int tasks = Math.min(n / Math.max(1, minPerTask), threads * 4);
        if (pool == null || tasks <= 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        List<RecursiveAction> chunks = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int from = (int) ((long) n * t / tasks);
            int to = (int) ((long) n * (t + 1) / tasks);
            chunks.add(new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(from, to);
                }
            });
        }
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                invokeAll(chunks);
            }
        });
    }

    void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
