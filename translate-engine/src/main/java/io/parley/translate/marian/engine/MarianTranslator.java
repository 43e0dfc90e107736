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

    private record Job(String sentence, CompletableFuture<String> result) {
    }

    private final Map<LanguagePair, MarianEngine> engines = new LinkedHashMap<>();
    private final Map<LanguagePair, BlockingQueue<Job>> queues = new LinkedHashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong batches = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sentences = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    private final io.parley.kernels.accel.Accelerator ownAccelerator;

    public MarianTranslator(List<MarianEngine> models) {
        this(models, null);
    }

    /** With {@code ownAccelerator} (may be null): an accelerator the models run on that this translator closes. */
    public MarianTranslator(List<MarianEngine> models, io.parley.kernels.accel.Accelerator ownAccelerator) {
        this.ownAccelerator = ownAccelerator;
        for (MarianEngine e : models) {
            if (engines.putIfAbsent(e.dir().pair(), e) != null) {
                throw new IllegalArgumentException("two models translate " + e.dir().pair() + ": "
                        + engines.get(e.dir().pair()).dir().dir() + " and " + e.dir().dir());
            }
            BlockingQueue<Job> q = new LinkedBlockingQueue<>();
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
        for (String text : texts) {
            List<CompletableFuture<String>> parts = new ArrayList<>();
            for (String sentence : SentenceSplitter.split(text)) {
                CompletableFuture<String> f = new CompletableFuture<>();
                pending.incrementAndGet();
                queue.add(new Job(sentence, f));
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
                List<String> out = engine.translate(batch.stream().map(Job::sentence).toList());
                batches.incrementAndGet();
                sentences.addAndGet(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(out.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "neural translation failed", e);
                for (Job j : batch) {
                    j.result().completeExceptionally(new TranslationException("translation_failed",
                            "the neural model failed on this text: " + e.getMessage(), e));
                }
            } finally {
                pending.addAndGet(-batch.size());
                batch.clear();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (MarianEngine e : engines.values()) {
            e.close();
        }
        if (ownAccelerator != null) {
            ownAccelerator.close();
        }
    }
}
