package io.parley.speech.whisper.stream;

import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.model.LogitRows;
import io.parley.speech.whisper.model.WhisperModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The threads ("lanes") that run the shared model for every live stream, so that streams never
 * compete for the cores one by one and their work can be merged:
 * <ul>
 *   <li>decoder steps of different streams, queued together, run as one batched pass
 *       ({@link WhisperModel#decode(List, List, LogitRows[])}): the weights
 *       are read once for all of them, which is what a decoder step costs;</li>
 *   <li>encoder windows of the same length, queued together, run as one batched encoding;</li>
 *   <li>anything else (features, word alignment) runs as it comes.</li>
 * </ul>
 * Jobs of final passes go ahead of partial work ({@link Account#urgent}): a newcomer's partials
 * never delay another stream's final. On a backend that computes on the JVM's own threads there
 * are two lanes: one model operation does not keep both cores busy (a decoder step is bound by
 * memory, an encoder's layer has serial parts), so a second lane takes the next job meanwhile —
 * a final's encoding runs beside another stream's decoding instead of after it. While some
 * streams are between two steps, a lane waits a moment for them, so that a batch is not split
 * by a few microseconds of bookkeeping. The runner measures its utilisation, which stretches the
 * partials' cadence and lets the recognizer refuse a stream the model cannot take.
 */
final class ModelRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRunner.class.getName());
    /** How long a batch waits for the steps of streams still decoding. */
    private static final long GATHER_NANOS = 2_000_000;
    /** Encoder windows batched together at most. */
    private static final int MAX_ENCODE_BATCH = 2;
    /** How far back the model's utilisation is measured: a few partial steps, for their cadence. */
    private static final long UTILISATION_WINDOW_NANOS = 3_000_000_000L;
    /** How far back the finals' share is measured, for admission: a few utterances of every stream. */
    static final long FINALS_WINDOW_NANOS = 15_000_000_000L;

    /** Where the runner books the time it spends for one stream, and whether the stream's work now is a final's. */
    static final class Account {
        /** No deadline: the stream's work is run however long it waits. */
        static final long NEVER = Long.MAX_VALUE;

        private final DoubleAdder seconds = new DoubleAdder();
        private volatile boolean urgent;
        private volatile long shedAt = NEVER;

        /** The stream's jobs from now on are (or are no longer) a final's: they go ahead of partial work. */
        void urgent(boolean on) {
            urgent = on;
        }

        boolean urgent() {
            return urgent;
        }

        /**
         * The stream's partial work from now on is given up if it is still waiting for the model
         * at {@code nanoTime} (System.nanoTime()); {@link #NEVER} for none. A final's work is never
         * given up.
         */
        void shedAt(long nanoTime) {
            shedAt = nanoTime;
        }

        long shedAt() {
            return shedAt;
        }

        void charge(double s) {
            seconds.add(s);
        }

        double seconds() {
            return seconds.sum();
        }
    }

    private sealed interface Job permits Step, Encode, Exclusive {
        Account account();
    }

    private record Step(List<WhisperModel.DecoderState> states, List<int[]> tokens, LogitRows wanted,
                        Account account, CompletableFuture<float[][]> done) implements Job {
    }

    private record Encode(float[] mel, int frames, Account account,
                          CompletableFuture<WhisperModel.Encoded> done) implements Job {
    }

    private record Exclusive(Callable<?> work, Account account, CompletableFuture<Object> done) implements Job {
    }

    /** Jobs a lane runs together, and whether a final's work is among them. */
    private record Batch(List<Job> jobs, boolean urgent) {
    }

    /** A job waiting, with its rank: a final's jobs first, then in arrival order. */
    private record Queued(Job job, boolean urgent, long order) implements Comparable<Queued> {
        @Override
        public int compareTo(Queued o) {
            if (urgent != o.urgent) {
                return urgent ? -1 : 1;
            }
            return Long.compare(order, o.order);
        }
    }

    private final WhisperModel model;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final PriorityQueue<Queued> queue = new PriorityQueue<>();
    /** Batches holding a final's job that a lane runs now. Under the lock. */
    private int urgentRunning;
    /** Decoder step jobs being run by a lane now: their streams will not submit another until they are done. */
    private final AtomicInteger stepsRunning = new AtomicInteger();
    private final AtomicLong arrivals = new AtomicLong();
    private final BusyMeter busy = new BusyMeter(UTILISATION_WINDOW_NANOS);
    private final BusyMeter finalsBusy = new BusyMeter(FINALS_WINDOW_NANOS);
    private final AtomicInteger decoding = new AtomicInteger();
    private final LongAdder stepBatches = new LongAdder();
    private final LongAdder stepSequences = new LongAdder();
    private final LongAdder encodeBatches = new LongAdder();
    private final LongAdder encodeWindows = new LongAdder();
    /** What a full-window (a final's) encoding takes per window, as an average leaning on the latest; 0 before any. */
    private volatile double fullWindowSeconds;
    private final Thread[] lanes;
    private volatile boolean closed;

    /** @param lanes threads running model operations at once (1 or more) */
    ModelRunner(WhisperModel model, int lanes) {
        if (lanes < 1) {
            throw new IllegalArgumentException("a model runner needs at least one lane");
        }
        this.model = model;
        this.lanes = new Thread[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = Thread.ofPlatform().name("whisper-model-" + i).daemon().unstarted(this::loop);
            this.lanes[i].start();
        }
    }

    /** Two lanes where the model computes on the JVM's threads, one where a device queue orders the work. */
    static int lanesFor(WhisperModel model) {
        return "jvm".equals(model.accelerator().name()) ? 2 : 1;
    }

    /** A stream starts decoding a window: its steps will come one after another until {@link #leaveDecoding()}. */
    void enterDecoding() {
        decoding.incrementAndGet();
    }

    void leaveDecoding() {
        decoding.decrementAndGet();
    }

    /**
     * Decoder steps for {@code states}, batched with those of other streams. Blocks until done.
     * The logits come after the tokens {@code wanted} names, for every sequence of the call.
     */
    float[][] decode(List<WhisperModel.DecoderState> states, List<int[]> tokens, Account account,
                     LogitRows wanted) {
        return run(new Step(List.copyOf(states), List.copyOf(tokens), wanted, account,
                new CompletableFuture<>()));
    }

    /** Encodes a window of {@code frames} mel frames, batched with windows of the same length. */
    WhisperModel.Encoded encode(float[] mel, int frames, Account account) {
        return run(new Encode(mel, frames, account, new CompletableFuture<>()));
    }

    /** Runs {@code work} on a lane of the runner, in rank order with the other jobs. */
    <T> T exclusive(Callable<T> work, Account account) {
        return run(new Exclusive(work, account, new CompletableFuture<>()));
    }

    /**
     * Queues {@code job} and waits for it. A partial's job still waiting at its account's
     * {@link Account#shedAt() deadline} is taken back out of the queue and {@link PartialShed}
     * thrown: the model is busy with finals, and the stream does better to go back to its audio
     * (where its own pause may have begun) than to wait for a partial that would come late.
     * A job a lane has already taken is always waited for.
     */
    private <T> T run(Job job) {
        if (closed) {
            throw new RecognizerException("engine_unavailable", "the recognizer is shut down");
        }
        Queued queued = new Queued(job, job.account().urgent(), arrivals.getAndIncrement());
        lock.lock();
        try {
            queue.add(queued);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> f = (CompletableFuture<T>) switch (job) {
            case Step s -> s.done();
            case Encode e -> e.done();
            case Exclusive x -> x.done();
        };
        long shedAt = job.account().shedAt();
        if (!queued.urgent() && shedAt != Account.NEVER) {
            while (!f.isDone()) {
                long wait = shedAt - System.nanoTime();
                if (wait <= 0) {
                    if (withdraw(queued)) {
                        throw PartialShed.INSTANCE;
                    }
                    break; // a lane has it: wait for it below
                }
                try {
                    f.get(wait, TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // timed out: look again; failed: reported by await below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return await(f);
    }

    /** Takes {@code q} back out of the queue if no lane has taken it yet. */
    private boolean withdraw(Queued q) {
        lock.lock();
        try {
            return queue.remove(q);
        } finally {
            lock.unlock();
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RecognizerException("engine_failed", "Whisper failed: " + e.getCause(), e.getCause());
        }
    }

    private void loop() {
        while (!closed) {
            Batch taken;
            try {
                taken = next();
            } catch (InterruptedException e) {
                break;
            }
            if (taken == null) {
                continue;
            }
            List<Job> batch = taken.jobs();
            long t0 = System.nanoTime();
            try {
                switch (batch.getFirst()) {
                    case Step s -> runSteps(batch);
                    case Encode e -> runEncodes(batch);
                    case Exclusive x -> runExclusive(x);
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "model runner failed", e); // the jobs that threw have been failed
            }
            long t1 = System.nanoTime();
            busy.busy(t0, t1);
            if (taken.urgent()) {
                finalsBusy.busy(t0, t1);
                lock.lock();
                try {
                    urgentRunning--;
                    arrived.signalAll(); // partial work held back may go now
                } finally {
                    lock.unlock();
                }
            }
        }
        lock.lock();
        try {
            failAll(queue);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next batch for a lane: the best job waiting, and with a decoder step every other step
     * waiting (and, for a moment, those of streams still decoding), with an encoding every other
     * window of its length. Null after 100 ms with nothing to do.
     */
    private Batch next() throws InterruptedException {
        lock.lock();
        try {
            // Partial work waits while a lane runs a final's: the final gets every core, and the
            // partial work catches up after it (a partial may be late; a final should not be).
            while (queue.isEmpty() || (!queue.peek().urgent() && urgentRunning > 0)) {
                if (!arrived.await(100, TimeUnit.MILLISECONDS)) {
                    return null;
                }
            }
            Queued first = queue.poll();
            List<Job> batch = new ArrayList<>();
            batch.add(first.job());
            switch (first.job()) {
                case Step s -> {
                    takeAll(batch, j -> j instanceof Step);
                    long deadline = System.nanoTime() + GATHER_NANOS;
                    while (batch.size() + stepsRunning.get() < decoding.get()) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        arrived.awaitNanos(wait);
                        takeAll(batch, j -> j instanceof Step);
                    }
                    stepsRunning.addAndGet(batch.size());
                }
                case Encode e -> {
                    // Up to MAX_ENCODE_BATCH windows: an encoding is bound by arithmetic, so more
                    // would save little and hold the memory of all of them at once (two lanes).
                    List<Queued> same = new ArrayList<>();
                    for (Queued q : queue) {
                        if (q.job() instanceof Encode o && o.frames() == e.frames()) {
                            same.add(q);
                        }
                    }
                    same.sort(null);
                    for (Queued q : same.subList(0, Math.min(same.size(), MAX_ENCODE_BATCH - 1))) {
                        queue.remove(q);
                        batch.add(q.job());
                    }
                }
                case Exclusive x -> { }
            }
            // Whether it is a final's work is decided here, once: a stream's account stops being
            // urgent as soon as its last job is done, before the lane has finished its bookkeeping.
            boolean urgent = first.urgent() || batch.stream().anyMatch(j -> j.account().urgent());
            if (urgent) {
                urgentRunning++;
            }
            return new Batch(batch, urgent);
        } finally {
            lock.unlock();
        }
    }

    /** Moves every waiting job that {@code matches} into {@code batch}, in rank order. Under the lock. */
    private void takeAll(List<Job> batch, java.util.function.Predicate<Job> matches) {
        List<Queued> taken = new ArrayList<>();
        for (var it = queue.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (matches.test(q.job())) {
                taken.add(q);
                it.remove();
            }
        }
        taken.sort(null);
        taken.forEach(q -> batch.add(q.job()));
    }

    /** One batched decoder step for every stream in {@code jobs}: a step costs about as much for several as for one. */
    private void runSteps(List<Job> jobs) {
        List<Step> batch = jobs.stream().map(Step.class::cast).toList();
        try {
            List<WhisperModel.DecoderState> states = new ArrayList<>();
            List<int[]> tokens = new ArrayList<>();
            int tokenCount = 0;
            for (Step s : batch) {
                states.addAll(s.states());
                tokens.addAll(s.tokens());
                for (int[] t : s.tokens()) {
                    tokenCount += t.length;
                }
            }
            long t0 = System.nanoTime();
            float[][] logits;
            try {
                LogitRows[] wanted = new LogitRows[states.size()];
                int at = 0;
                for (Step s : batch) {
                    Arrays.fill(wanted, at, at + s.states().size(), s.wanted());
                    at += s.states().size();
                }
                logits = model.decode(states, tokens, wanted);
            } catch (RuntimeException e) {
                batch.forEach(s -> s.done().completeExceptionally(e));
                throw e;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stepBatches.increment();
            stepSequences.add(states.size());
            int at = 0;
            for (Step s : batch) {
                int n = s.states().size();
                int own = 0;
                for (int[] t : s.tokens()) {
                    own += t.length;
                }
                s.account().charge(seconds * own / Math.max(1, tokenCount));
                float[][] mine = new float[n][];
                System.arraycopy(logits, at, mine, 0, n);
                at += n;
                s.done().complete(mine);
            }
        } finally {
            stepsRunning.addAndGet(-batch.size());
        }
    }

    /** One batched encoding of every window in {@code jobs} (all of one length). */
    private void runEncodes(List<Job> jobs) {
        List<Encode> batch = jobs.stream().map(Encode.class::cast).toList();
        long t0 = System.nanoTime();
        List<WhisperModel.Encoded> out;
        try {
            out = model.encode(batch.stream().map(Encode::mel).toList(), batch.getFirst().frames());
        } catch (RuntimeException e) {
            batch.forEach(b -> b.done().completeExceptionally(e));
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        encodeBatches.increment();
        encodeWindows.add(batch.size());
        if (batch.getFirst().frames() == WhisperEngine.WINDOW_FRAMES) {
            double each = seconds / batch.size();
            double was = fullWindowSeconds; // two lanes may race here: either value will do
            fullWindowSeconds = was == 0 ? each : was + 0.3 * (each - was);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).account().charge(seconds / batch.size());
            batch.get(i).done().complete(out.get(i));
        }
    }

    private void runExclusive(Exclusive x) {
        long t0 = System.nanoTime();
        try {
            x.done().complete(x.work().call());
        } catch (Exception e) {
            x.done().completeExceptionally(e);
        } finally {
            x.account().charge((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void failAll(java.util.Collection<Queued> jobs) {
        RecognizerException e = new RecognizerException("engine_unavailable", "the recognizer is shut down");
        for (Queued q : jobs) {
            switch (q.job()) {
                case Step s -> s.done().completeExceptionally(e);
                case Encode en -> en.done().completeExceptionally(e);
                case Exclusive x -> x.done().completeExceptionally(e);
            }
        }
        jobs.clear();
    }

    /** The fraction of the last seconds in which a lane was busy, 0 to 1: partials come less often as it nears 1. */
    double utilisation() {
        return busy.utilisation(System.nanoTime());
    }

    /** The fraction in which a lane ran a final's work: the work no stream can shed. */
    double finalUtilisation() {
        return finalsBusy.utilisation(System.nanoTime());
    }

    /** Seconds a full-window encoding has taken lately, per window (the cost of a final's); 0 before any ran. */
    double fullWindowEncodeSeconds() {
        return fullWindowSeconds;
    }

    /** Sequences per batched decoder step, on average since start: above 1 when streams share passes. */
    double meanStepBatch() {
        long b = stepBatches.sum();
        return b == 0 ? 0 : (double) stepSequences.sum() / b;
    }

    /** Windows per batched encoding, on average since start. */
    double meanEncodeBatch() {
        long b = encodeBatches.sum();
        return b == 0 ? 0 : (double) encodeWindows.sum() / b;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread lane : lanes) {
            lane.interrupt();
        }
        try {
            for (Thread lane : lanes) {
                lane.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
