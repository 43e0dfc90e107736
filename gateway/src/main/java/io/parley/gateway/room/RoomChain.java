package io.parley.gateway.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A room's work, one task at a time, in the order submitted: the room's only lock. A task may
 * return a stage (a store commit, say); the next task starts once that stage is complete, so a
 * final is committed before anything after it is sent. Tasks run on a shared pool, never on the
 * submitter's thread, so that a recognizer or an event loop that submits never waits, and nothing
 * ever writes to a socket while holding a lock.
 */
final class RoomChain {

    private static final Logger LOG = Logger.getLogger(RoomChain.class.getName());

    private final Executor executor;
    private final String name;
    private final AtomicInteger pending = new AtomicInteger();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    RoomChain(Executor executor, String name) {
        this.executor = executor;
        this.name = name;
    }

    /**
     * Runs {@code task} after every task submitted before it has finished; its stage gates the next.
     * The stage must never wait for a later task of this chain (that would wait forever): a task
     * that hands out something to wait for returns it from {@link #run} instead.
     */
    <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> task) {
        CompletableFuture<T> result;
        pending.incrementAndGet();
        synchronized (this) {
            CompletableFuture<Supplier<? extends CompletionStage<T>>> started;
            try {
                started = tail.handleAsync((ignored, previousFailure) -> task, executor);
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                started = CompletableFuture.failedFuture(shutDown);
            }
            result = started
                    .thenCompose(t -> {
                        try {
                            return t.get();
                        } catch (RuntimeException e) {
                            return CompletableFuture.failedFuture(e);
                        }
                    });
            // A failed task must not stop the ones after it.
            tail = result.handle((r, e) -> {
                Throwable cause = e == null ? null : unwrap(e);
                // A rejected task is the server shutting down: the room's work is over.
                if (cause != null && !(cause instanceof Expected) && !(cause instanceof java.util.concurrent.RejectedExecutionException)) {
                    LOG.log(Level.WARNING, "a task of room " + name + " failed", cause);
                }
                pending.decrementAndGet();
                return null;
            });
        }
        return result;
    }

    /** Runs {@code task}, which finishes when it returns, in order like {@link #submit}. */
    <T> CompletableFuture<T> run(Supplier<T> task) {
        return submit(() -> CompletableFuture.completedFuture(task.get()));
    }

    /** Continues on the room's pool once {@code stage} is complete (a store's thread is not ours). */
    <T> CompletableFuture<T> resume(CompletionStage<T> stage) {
        return stage.toCompletableFuture().thenApplyAsync(v -> v, executor);
    }

    /** Tasks submitted and not yet finished: how far behind the room is. */
    int pending() {
        return pending.get();
    }

    static Throwable unwrap(Throwable e) {
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A failure that is an answer (a full room, a closed one), not a fault worth a warning. */
    interface Expected {
    }
}
