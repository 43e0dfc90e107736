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

    @Test
    void aPartialStillWaitingBehindAFinalAtItsDeadlineIsShedAndNeverRun() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account finals = new ModelRunner.Account();
            finals.urgent(true);
            CountDownLatch finalRunning = new CountDownLatch(1);
            CountDownLatch finalMayEnd = new CountDownLatch(1);
            CompletableFuture<String> fin = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> {
                finalRunning.countDown();
                finalMayEnd.await();
                return "final";
            }, finals));
            assertTrue(finalRunning.await(10, TimeUnit.SECONDS));

            ModelRunner.Account partial = new ModelRunner.Account();
            partial.shedAt(System.nanoTime() + SECOND / 5);
            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(PartialShed.class, () -> runner.exclusive(() -> ran.getAndSet(true), partial));

            finalMayEnd.countDown();
            assertEquals("final", fin.get(10, TimeUnit.SECONDS), "the final is not disturbed");
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
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch mayEnd = new CountDownLatch(1);
            CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> {
                running.countDown();
                mayEnd.await();
                return "partial";
            }, partial));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            while (System.nanoTime() < partial.shedAt() + SECOND / 10) {
                Thread.sleep(20);
            }
            mayEnd.countDown();
            assertEquals("partial", result.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aFinalsWorkIsNeverShed() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account first = new ModelRunner.Account();
            first.urgent(true);
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch mayEnd = new CountDownLatch(1);
            CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> {
                running.countDown();
                mayEnd.await();
                return "first";
            }, first));
            assertTrue(running.await(10, TimeUnit.SECONDS));
            ModelRunner.Account second = new ModelRunner.Account();
            second.urgent(true);
            second.shedAt(System.nanoTime()); // a deadline already past: ignored for a final
            CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> runner.exclusive(() -> "second", second));
            Thread.sleep(200);
            assertFalse(b.isDone(), "the second final waits for the lane");
            mayEnd.countDown();
            assertEquals("first", a.get(10, TimeUnit.SECONDS));
            assertEquals("second", b.get(10, TimeUnit.SECONDS));
        }
    }
}
