package io.parley.translate.marian.engine;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.TranslationException;
import io.parley.translate.api.Translator;
import io.parley.translate.text.SentenceSplitter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Neural translation with Marian models, as a {@link Translator}: request → batch → model →
 * response. Texts are split into sentences; every direction has one worker that takes the
 * sentences waiting for it — from any number of rooms and callers — and translates them
 * together, so that a busy gateway decodes a batch per step instead of a sentence per step.
 */
public final class MarianTranslator implements Translator {

    private static final Logger LOG = Logger.getLogger(MarianTranslator.class.getName());

    /** Sentences decoded together at most. */
    public static final int MAX_BATCH = 32;
    /** How long a worker that just woke up waits for more sentences to join its batch. */
    static final long GATHER_MICROS = 500;
    /** Sentences that may wait per direction; beyond, a request is refused at once ({@code translation_overloaded}). */
    public static final int MAX_QUEUED = 2048;
    /** A sentence that waited longer than this is failed ({@code translation_timeout}) rather than decoded late. */
    public static final long QUEUE_TIMEOUT_NANOS = 20_000_000_000L;

    private record Job(String sentence, CompletableFuture<String> result, long queuedAtNanos) {
    }

    private final Map<LanguagePair, MarianEngine> engines = new LinkedHashMap<>();
    private final Map<LanguagePair, BlockingQueue<Job>> queues = new LinkedHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sentences = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private final io.parley.kernels.accel.Accelerator ownAccelerator;
    private final int maxQueued;

    public MarianTranslator(List<MarianEngine> models) {
        this(models, null);
    }

    /** With {@code ownAccelerator} (may be null): an accelerator the models run on that this translator closes. */
    public MarianTranslator(List<MarianEngine> models, io.parley.kernels.accel.Accelerator ownAccelerator) {
        this(models, ownAccelerator, MAX_QUEUED);
    }

    /** With a queue of {@code maxQueued} sentences per direction (tests use a small one). */
    public MarianTranslator(List<MarianEngine> models, io.parley.kernels.accel.Accelerator ownAccelerator, int maxQueued) {
        this.ownAccelerator = ownAccelerator;
        this.maxQueued = maxQueued;
        for (MarianEngine e : models) {
            if (engines.putIfAbsent(e.dir().pair(), e) != null) {
                throw new IllegalArgumentException("two models translate " + e.dir().pair() + ": "
                        + engines.get(e.dir().pair()).dir().dir() + " and " + e.dir().dir());
            }
            BlockingQueue<Job> q = new LinkedBlockingQueue<>(maxQueued);
            queues.put(e.dir().pair(), q);
            Thread t = Thread.ofPlatform().daemon().name("marian-" + e.dir().pair().source() + "-"
                    + e.dir().pair().target()).start(() -> work(e, q));
            workers.add(t);
        }
    }

    @Override
    public String engine() {
        return "marian";
    }

    @Override
    public boolean neural() {
        return true;
    }

    @Override
    public Set<LanguagePair> pairs() {
        return Set.copyOf(engines.keySet());
    }

    public List<MarianEngine> models() {
        return List.copyOf(engines.values());
    }

    /** Batches decoded since start. */
    public long batches() {
        return batches.get();
    }

    /** Sentences decoded since start: with {@link #batches()}, the mean batch size. */
    public long sentences() {
        return sentences.get();
    }

    @Override
    public int pendingRequests() {
        return pending.get();
    }

    @Override
    public CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts) {
        BlockingQueue<Job> queue = queues.get(pair);
        if (queue == null) {
            return CompletableFuture.failedFuture(new TranslationException("unsupported_pair",
                    "no neural model translates " + pair));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new TranslationException("translator_closed", "the translator was closed"));
        }
        List<CompletableFuture<Translation>> results = new ArrayList<>(texts.size());
        long now = System.nanoTime();
        for (String text : texts) {
            List<CompletableFuture<String>> parts = new ArrayList<>();
            for (String sentence : SentenceSplitter.split(text)) {
                CompletableFuture<String> f = new CompletableFuture<>();
                // Counted before the worker can see it, so that the count never runs behind.
                pending.incrementAndGet();
                if (!queue.offer(new Job(sentence, f, now))) {
                    pending.decrementAndGet();
                    f.completeExceptionally(new TranslationException("translation_overloaded", maxQueued
                            + " sentences are already waiting for " + pair + "; try again shortly"));
                }
                parts.add(f);
            }
            results.add(CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v ->
                    new Translation(String.join(" ", parts.stream().map(CompletableFuture::join)
                            .filter(s -> !s.isEmpty()).toList()), List.of())));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
    }

    private void work(MarianEngine engine, BlockingQueue<Job> queue) {
        List<Job> batch = new ArrayList<>();
        while (!closed) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                // Sentences that arrive together (a final fanned out to several rooms, a burst
                // of captions) are decoded together.
                long deadline = System.nanoTime() + GATHER_MICROS * 1000;
                while (batch.size() < MAX_BATCH) {
                    Job next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                // A sentence that waited too long (the engine was swamped) is failed, not decoded late:
                // its caller has moved on (a caption is then delivered untranslated).
                long now = System.nanoTime();
                List<Job> fresh = new ArrayList<>(batch.size());
                for (Job j : batch) {
                    if (now - j.queuedAtNanos() > QUEUE_TIMEOUT_NANOS) {
                        fail(j, new TranslationException("translation_timeout",
                                "the sentence waited more than " + QUEUE_TIMEOUT_NANOS / 1_000_000_000L + " s for the model"));
                    } else {
                        fresh.add(j);
                    }
                }
                if (!fresh.isEmpty()) {
                    List<String> out = engine.translate(fresh.stream().map(Job::sentence).toList());
                    batches.incrementAndGet();
                    sentences.addAndGet(fresh.size());
                    for (int i = 0; i < fresh.size(); i++) {
                        answer(fresh.get(i), out.get(i));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failAll(batch, new TranslationException("translator_closed", "the translator was closed"));
                return;
            } catch (Throwable e) {
                // Whatever the model throws — an exception, an assertion, a stack overflow on a
                // pathological input — fails this batch only: the worker lives on for the next.
                LOG.log(Level.WARNING, "neural translation failed", e);
                failAll(batch, new TranslationException("translation_failed",
                        "the neural model failed on this text: " + e, e));
                if (e instanceof VirtualMachineError fatal && !(e instanceof StackOverflowError)) {
                    throw fatal; // out of memory: the process ends (-XX:+ExitOnOutOfMemoryError), as it should
                }
            } finally {
                batch.clear();
            }
        }
    }

    /*
     * A job leaves the pending count as it is answered, before its caller can see the answer: a
     * caller that has all its answers finds nothing of its own still counted.
     */
    private void answer(Job j, String translation) {
        if (!j.result().isDone()) {
            pending.decrementAndGet();
            j.result().complete(translation);
        }
    }

    private void fail(Job j, TranslationException e) {
        if (!j.result().isDone()) {
            pending.decrementAndGet();
            j.result().completeExceptionally(e);
        }
    }

    private void failAll(List<Job> batch, TranslationException e) {
        for (Job j : batch) {
            fail(j, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        // Nobody will translate what still waits: its callers are told, not left waiting.
        for (BlockingQueue<Job> q : queues.values()) {
            List<Job> left = new ArrayList<>();
            q.drainTo(left);
            failAll(left, new TranslationException("translator_closed", "the translator was closed"));
        }
        for (MarianEngine e : engines.values()) {
            e.close();
        }
        if (ownAccelerator != null) {
            ownAccelerator.close();
        }
    }
}
