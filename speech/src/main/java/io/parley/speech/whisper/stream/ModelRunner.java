package io.parley.speech.whisper.stream;

import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.whisper.model.WhisperModel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
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
 * batch is not split by a few microseconds of bookkeeping.
 */
final class ModelRunner implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRunner.class.getName());
    /** How long a batch waits for the steps of streams still decoding. */
    private static final long GATHER_NANOS = 2_000_000;

    /** Where the runner books the time it spends for one stream. */
    static final class Account {
        private final DoubleAdder seconds = new DoubleAdder();

        void charge(double s) {
            seconds.add(s);
        }

        double seconds() {
            return seconds.sum();
        }
    }

    private sealed interface Job permits Step, Encode, Exclusive {
    }

    private record Step(List<WhisperModel.DecoderState> states, List<int[]> tokens, Account account,
                        CompletableFuture<float[][]> done) implements Job {
    }

    private record Encode(float[] mel, int frames, Account account,
                          CompletableFuture<WhisperModel.Encoded> done) implements Job {
    }

    private record Exclusive(Callable<?> work, Account account, CompletableFuture<Object> done) implements Job {
    }

    private final WhisperModel model;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
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
        queue.add(job);
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
        Deque<Job> pending = new ArrayDeque<>();
        while (!closed) {
            try {
                Job first = pending.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : pending.poll();
                if (first == null) {
                    continue;
                }
                switch (first) {
                    case Step s -> runSteps(s, pending);
                    case Encode e -> runEncodes(e, pending);
                    case Exclusive x -> runExclusive(x);
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "model runner failed", e); // the job that threw has been failed
            }
        }
        failAll(pending);
        failAll(queue);
    }

    private void runSteps(Step first, Deque<Job> pending) throws InterruptedException {
        List<Step> batch = new ArrayList<>();
        batch.add(first);
        // Steps already waiting, then those of streams still decoding, for a moment.
        for (var it = pending.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Step s) {
                batch.add(s);
                it.remove();
            }
        }
        long deadline = System.nanoTime() + GATHER_NANOS;
        while (true) {
            Job j = queue.poll();
            if (j == null) {
                long wait = deadline - System.nanoTime();
                if (batch.size() >= decoding.get() || wait <= 0) {
                    break;
                }
                j = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (j == null) {
                    break;
                }
            }
            if (j instanceof Step s) {
                batch.add(s);
            } else {
                pending.add(j);
            }
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

    private void runEncodes(Encode first, Deque<Job> pending) {
        List<Encode> batch = new ArrayList<>();
        batch.add(first);
        for (var it = pending.iterator(); it.hasNext(); ) {
            if (it.next() instanceof Encode e && e.frames() == first.frames()) {
                batch.add(e);
                it.remove();
            }
        }
        Job j;
        while ((j = queue.poll()) != null) {
            if (j instanceof Encode e && e.frames() == first.frames()) {
                batch.add(e);
            } else {
                pending.add(j);
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

    private static void failAll(java.util.Collection<Job> jobs) {
        RecognizerException e = new RecognizerException("engine_unavailable", "the recognizer is shut down");
        for (Job j : jobs) {
            switch (j) {
                case Step s -> s.done().completeExceptionally(e);
                case Encode en -> en.done().completeExceptionally(e);
                case Exclusive x -> x.done().completeExceptionally(e);
            }
        }
        jobs.clear();
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
