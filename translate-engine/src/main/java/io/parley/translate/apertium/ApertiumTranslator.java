package io.parley.translate.apertium;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.TranslationException;
import io.parley.translate.api.Translator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Rule-based translation by Apertium (Debian packages {@code apertium} and
 * {@code apertium-<pair>}). Every installed direction is discovered at start; each runs as one
 * long-lived process chain, started on first use and reused for every request after.
 */
public final class ApertiumTranslator implements Translator {

    private final Map<LanguagePair, ApertiumPipeline> pipelines = new LinkedHashMap<>();
    private final ScheduledExecutorService watchdog;

    private ApertiumTranslator(Map<LanguagePair, Path> modes, ApertiumConfig config) {
        modes.forEach((pair, file) -> pipelines.put(pair, new ApertiumPipeline(pair, file, config)));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "apertium-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(() -> pipelines.values().forEach(ApertiumPipeline::checkTimeout),
                1, 1, TimeUnit.SECONDS);
    }

    /** Finds the installed pairs; none installed gives a translator with no pairs. */
    public static ApertiumTranslator discover(ApertiumConfig config) {
        return new ApertiumTranslator(ApertiumModes.discover(config.modesDir()), config);
    }

    @Override
    public String engine() {
        return "apertium";
    }

    @Override
    public Set<LanguagePair> pairs() {
        return Collections.unmodifiableSet(pipelines.keySet());
    }

    @Override
    public void prepare(LanguagePair pair) {
        pipeline(pair).start();
    }

    @Override
    public CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts) {
        ApertiumPipeline pipeline;
        try {
            pipeline = pipeline(pair);
        } catch (TranslationException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<Translation>> parts = new ArrayList<>(texts.size());
        for (String text : texts) {
            parts.add(pipeline.submit(text));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> parts.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public int pendingRequests() {
        return pipelines.values().stream().mapToInt(ApertiumPipeline::pending).sum();
    }

    /** Process restarts since start, summed over directions. */
    public int restarts() {
        return pipelines.values().stream().mapToInt(ApertiumPipeline::restarts).sum();
    }

    ApertiumPipeline pipeline(LanguagePair pair) {
        ApertiumPipeline p = pipelines.get(pair);
        if (p == null) {
            throw new TranslationException("unsupported_pair", "Apertium has no installed pair for " + pair);
        }
        return p;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        pipelines.values().forEach(ApertiumPipeline::close);
    }
}
