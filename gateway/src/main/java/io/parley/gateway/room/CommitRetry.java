package io.parley.gateway.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Commits a final however long the store takes to come back. A final is never dropped because
 * the database blinked: the commit is tried again with a growing pause (0.1 s doubling to 5 s),
 * and meanwhile nothing after it in the room is sent, so viewers never see a final the store
 * does not have.
 */
final class CommitRetry {

    private static final Logger LOG = Logger.getLogger(CommitRetry.class.getName());
    private static final long FIRST_PAUSE_MS = 100;
    private static final long MAX_PAUSE_MS = 5000;

    private CommitRetry() {
    }

    static CompletableFuture<Void> untilDone(Supplier<CompletableFuture<Void>> commit, String what, Consumer<Throwable> onFailure) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(commit, what, onFailure, done, FIRST_PAUSE_MS, 1);
        return done;
    }

    private static void attempt(Supplier<CompletableFuture<Void>> commit, String what, Consumer<Throwable> onFailure,
                                CompletableFuture<Void> done, long pauseMs, int attempt) {
        CompletableFuture<Void> f;
        try {
            f = commit.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((v, e) -> {
            if (e == null) {
                if (attempt > 1) {
                    LOG.info(() -> what + " committed after " + attempt + " attempts");
                }
                done.complete(null);
                return;
            }
            onFailure.accept(e);
            LOG.log(attempt == 1 ? Level.WARNING : Level.FINE, "the store refused " + what + " (attempt " + attempt
                    + "); trying again in " + pauseMs + " ms: " + RoomChain.unwrap(e).getMessage());
            CompletableFuture.delayedExecutor(pauseMs, TimeUnit.MILLISECONDS).execute(() ->
                    attempt(commit, what, onFailure, done, Math.min(pauseMs * 2, MAX_PAUSE_MS), attempt + 1));
        });
    }
}
