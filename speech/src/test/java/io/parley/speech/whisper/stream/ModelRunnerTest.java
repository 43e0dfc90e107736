package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's ranking and shedding, on jobs that do not touch the model (the runner is built
 * without one): the model's own passes through it are covered by WhisperStreamingTest and the
 * live benchmark.
 */
@Timeout(60) // without shedding, the first test would wait forever for a lane held by the final
class ModelRunnerTest {

    private static final long SECOND = 1_000_000_000L;

    /** A job that holds the runner's one lane, once it has it, until {@link #release()}. */
    private record HeldJob(CountDownLatch mayEnd, CompletableFuture<String> result) {

        /** Submits it on {@code account} and waits until a lane runs it. */
        static HeldJob start(ModelRunner runner, ModelRunner.Account account, String value) throws InterruptedException {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch mayEnd = new CountDownLatch(1);
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> {
                running.countDown();
                mayEnd.await();
                return value;
            }, account));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            return new HeldJob(mayEnd, result);
        }

        String release() throws Exception {
            mayEnd.countDown();
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPartialStillWaitingBehindAFinalAtItsDeadlineIsShedAndNeverRun() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account finals = new ModelRunner.Account();
            finals.urgent(true);
            HeldJob fin = HeldJob.start(runner, finals, "final");

            ModelRunner.Account partial = new ModelRunner.Account();
            partial.shedAt(System.nanoTime() + SECOND / 5);
            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(PartialShed.class, () -> runner.exclusive(() -> ran.getAndSet(true), partial));

            assertEquals("final", fin.release(), "the final is not disturbed");
            // The lane is free now: had the shed job stayed in the queue, it would run.
            partial.shedAt(ModelRunner.Account.NEVER);
            assertEquals("after", runner.exclusive(() -> "after", partial));
            assertFalse(ran.get(), "a shed job is taken out of the queue, not run late");
        }
    }

    @Test
    void aPartialAlreadyRunningAtItsDeadlineIsWaitedFor() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account partial = new ModelRunner.Account();
            partial.shedAt(System.nanoTime() + 2 * SECOND);
            HeldJob held = HeldJob.start(runner, partial, "partial");
            while (System.nanoTime() < partial.shedAt() + SECOND / 10) {
                Thread.sleep(20);
            }
            assertEquals("partial", held.release());
        }
    }

    @Test
    void aFinalsWorkIsNeverShed() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account first = new ModelRunner.Account();
            first.urgent(true);
            HeldJob a = HeldJob.start(runner, first, "first");
            ModelRunner.Account second = new ModelRunner.Account();
            second.urgent(true);
            second.shedAt(System.nanoTime()); // a deadline already past: ignored for a final
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> "second", second));
            Thread.sleep(200);
            assertFalse(b.isDone(), "the second final waits for the lane");
            assertEquals("first", a.release());
            assertEquals("second", b.get(10, TimeUnit.SECONDS));
        }
    }
}
