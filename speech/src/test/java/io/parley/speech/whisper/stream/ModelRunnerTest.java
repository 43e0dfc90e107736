package io.parley.speech.whisper.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
            PartialShed shed = assertThrows(PartialShed.class, () -> runner.exclusive(() -> ran.getAndSet(true), partial));
            assertSame(PartialShed.WAITED_TOO_LONG, shed);

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
    void aPartialItsStreamCallsOffWhileItWaitsIsTakenOutOfTheQueueAndNeverRun() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account finals = new ModelRunner.Account();
            finals.urgent(true);
            HeldJob fin = HeldJob.start(runner, finals, "final");

            ModelRunner.Account partial = new ModelRunner.Account();
            AtomicBoolean pause = new AtomicBoolean();
            AtomicInteger asked = new AtomicInteger();
            partial.callOffWhen(() -> {
                asked.incrementAndGet();
                return pause.get();
            });
            AtomicBoolean ran = new AtomicBoolean();
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(
                    () -> runner.exclusive(() -> ran.getAndSet(true), partial));
            while (asked.get() < 3) { // asked before it was queued, then while it waits
                Thread.sleep(5);
            }
            assertFalse(waiting.isDone(), "the partial waits behind the final");
            pause.set(true);
            ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
            assertSame(PartialShed.CALLED_OFF, e.getCause());

            assertEquals("final", fin.release(), "the final is not disturbed");
            partial.callOffWhen(null);
            assertEquals("after", runner.exclusive(() -> "after", partial));
            assertFalse(ran.get(), "a job called off is taken out of the queue, not run late");
        }
    }

    @Test
    void aPartialCalledOffBeforeItsNextJobNeverQueuesIt() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account partial = new ModelRunner.Account();
            partial.callOffWhen(() -> true);
            AtomicBoolean ran = new AtomicBoolean();
            assertSame(PartialShed.CALLED_OFF,
                    assertThrows(PartialShed.class, () -> runner.exclusive(() -> ran.getAndSet(true), partial)));
            assertFalse(ran.get());
        }
    }

    @Test
    void aPartialAlreadyRunningWhenItsStreamCallsItOffIsWaitedFor() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account partial = new ModelRunner.Account();
            AtomicBoolean pause = new AtomicBoolean();
            partial.callOffWhen(pause::get);
            HeldJob held = HeldJob.start(runner, partial, "partial");
            pause.set(true);
            Thread.sleep(50);
            assertEquals("partial", held.release());
        }
    }

    @Test
    void aFinalsWorkIsNeverCalledOff() throws Exception {
        try (ModelRunner runner = new ModelRunner(null, 1)) {
            ModelRunner.Account fin = new ModelRunner.Account();
            fin.urgent(true);
            fin.callOffWhen(() -> true);
            assertEquals("final", runner.exclusive(() -> "final", fin));
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
