package io.parley.speech.whisper.stream;

import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.whisper.model.WhisperModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.PriorityQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that runs the shared model for every live stream, so that streams never
 * compete for the cores (each pass already uses all of them) and their work can be merged:
 * <ul>
 *   <li>decoder steps of different streams, queued together, run as one batched pass
 *       ({@link WhisperModel#decode(List, List, WhisperModel.CrossAttention[])}): the weights
 *       are read once for all of them, which is what a decoder step costs;</li>
 *   <li>encoder windows of the same length, queued together, run as one batched encoding;</li>
 *   <li>anything else (word alignment) runs alone, in arrival order.</li>
 * </ul>
 * While some streams are between two steps, the runner waits a moment for them, so that a
 * batch is not split by a few microseconds of bookkeeping. Jobs of final passes go ahead of
 * partial work ({@link Account#urgent}): a newcomer's partials never delay another stream's
 * final. The runner measures its utilisation, which stretches the partials' cadence and lets
 * the recognizer refuse a stream the model cannot take.
 */
final class ModelRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRunner.class.getName());
    /** How long a batch waits for the steps of streams still decoding. */
    private static final long GATHER_NANOS = 2_000_000;
    /** How far back the model's utilisation is measured: a few partial steps, for their cadence. */
    private static final long UTILISATION_WINDOW_NANOS = 3_000_000_000L;
    /** How far back the finals' share is measured, for admission: a few utterances of every stream. */
    private static final long FINALS_WINDOW_NANOS = 15_000_000_000L;

    /** Where the runner books the time it spends for one stream, and whether the stream's work now is a final's. */
    static final class Account {
        private final DoubleAdder seconds = new DoubleAdder();
        private volatile boolean urgent;

        /** The stream's jobs from now on are (or are no longer) a final's: they go ahead of partial work. */
        void urgent(boolean on) {
            urgent = on;
        }

        boolean urgent() {
            return urgent;
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

    private record Step(List<WhisperModel.DecoderState> states, List<int[]> tokens, Account account,
                        CompletableFuture<float[][]> done) implements Job {
    }

    private record Encode(float[] mel, int frames, Account account,
                          CompletableFuture<WhisperModel.Encoded> done) implements Job {
    }

    private record Exclusive(Callable<?> work, Account account, CompletableFuture<Object> done) implements Job {
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
    private final PriorityBlockingQueue<Queued> queue = new PriorityBlockingQueue<>();
    private final AtomicLong arrivals = new AtomicLong();
    private final BusyMeter busy = new BusyMeter(UTILISATION_WINDOW_NANOS);
    private final BusyMeter finalsBusy = new BusyMeter(FINALS_WINDOW_NANOS);
    private final AtomicInteger decoding = new AtomicInteger();
    private final LongAdder stepBatches = new LongAdder();
    private final LongAdder stepSequences = new LongAdder();
    private final LongAdder encodeBatches = new LongAdder();
    private final LongAdder encodeWindows = new LongAdder();
    private final Thread thread;
    private volatile boolean closed;

    ModelRunner(WhisperModel model) {
        this.model = model;
        this.thread = Thread.ofPlatform().name("whisper-model").daemon().unstarted(this::loop);
        thread.start();
    }

    /** A stream starts decoding a window: its steps will come one after another until {@link #leaveDecoding()}. */
    void enterDecoding() {
        decoding.incrementAndGet();
    }

    void leaveDecoding() {
        decoding.decrementAndGet();
    }

    /** Decoder steps for {@code states}, batched with those of other streams. Blocks until done. */
    float[][] decode(List<WhisperModel.DecoderState> states, List<int[]> tokens, Account account) {
        return await(submit(new Step(List.copyOf(states), List.copyOf(tokens), account, new CompletableFuture<>())));
    }

    /** Encodes a window of {@code frames} mel frames, batched with windows of the same length. */
    WhisperModel.Encoded encode(float[] mel, int frames, Account account) {
        return await(submit(new Encode(mel, frames, account, new CompletableFuture<>())));
    }

    /** Runs {@code work} on the model thread, alone. */
    @SuppressWarnings("unchecked")
    <T> T exclusive(Callable<T> work, Account account) {
        return (T) await(submit(new Exclusive(work, account, new CompletableFuture<>())));
    }

    private <T> CompletableFuture<T> submit(Job job) {
        if (closed) {
            throw new RecognizerException("engine_unavailable", "the recognizer is shut down");
        }
        queue.add(new Queued(job, job.account().urgent(), arrivals.getAndIncrement()));
        @SuppressWarnings("unchecked")
        CompletableFuture<T> f = (CompletableFuture<T>) switch (job) {
            case Step s -> s.done();
            case Encode e -> e.done();
            case Exclusive x -> x.done();
        };
        return f;
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
        PriorityQueue<Queued> pending = new PriorityQueue<>();
        while (!closed) {
            try {
                if (pending.isEmpty()) {
                    Queued q = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (q == null) {
                        continue;
                    }
                    pending.add(q);
                }
                queue.drainTo(pending);
                Queued first = pending.poll();
                long t0 = System.nanoTime();
                switch (first.job()) {
                    case Step s -> runSteps(s, pending);
                    case Encode e -> runEncodes(e, pending);
                    case Exclusive x -> runExclusive(x);
                }
                long t1 = System.nanoTime();
                busy.busy(t0, t1);
                if (first.urgent()) {
                    finalsBusy.busy(t0, t1);
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "model runner failed", e); // the job that threw has been failed
            }
        }
        List<Queued> left = new ArrayList<>(pending);
        queue.drainTo(left);
        failAll(left);
    }

    /**
     * Runs {@code first} with every other decoder step waiting, and those of streams still
     * decoding for a moment: a step costs about as much for one sequence as for several.
     * Partial streams' steps ride along with a final's; other jobs wait their turn by rank.
     */
    private void runSteps(Step first, PriorityQueue<Queued> pending) throws InterruptedException {
        List<Step> batch = new ArrayList<>();
        batch.add(first);
        takeSteps(pending, batch);
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (batch.size() < decoding.get()) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            Queued q = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (q == null) {
                break;
            }
            pending.add(q);
            queue.drainTo(pending);
            takeSteps(pending, batch);
        }
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
            logits = model.decode(states, tokens, null);
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
    }

    private static void takeSteps(PriorityQueue<Queued> pending, List<Step> batch) {
        for (var it = pending.iterator(); it.hasNext(); ) {
            if (it.next().job() instanceof Step s) {
                batch.add(s);
                it.remove();
            }
        }
    }

    /** Runs {@code first} with every other window of the same length waiting, as one batched encoding. */
    private void runEncodes(Encode first, PriorityQueue<Queued> pending) {
        List<Encode> batch = new ArrayList<>();
        batch.add(first);
        for (var it = pending.iterator(); it.hasNext(); ) {
            if (it.next().job() instanceof Encode e && e.frames() == first.frames()) {
                batch.add(e);
                it.remove();
            }
        }
        long t0 = System.nanoTime();
        List<WhisperModel.Encoded> out;
        try {
            out = model.encode(batch.stream().map(Encode::mel).toList(), first.frames());
        } catch (RuntimeException e) {
            batch.forEach(b -> b.done().completeExceptionally(e));
            throw e;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        encodeBatches.increment();
        encodeWindows.add(batch.size());
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

    /** The model's busy fraction over the last seconds, 0 to 1: partials come less often as it nears 1. */
    double utilisation() {
        return busy.utilisation(System.nanoTime());
    }

    /** The part of it spent on final passes: the work no stream can shed. */
    double finalUtilisation() {
        return finalsBusy.utilisation(System.nanoTime());
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
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
