package io.parley.gateway.room;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.translate.service.TextTranslator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A room's captions in one language. Every final of the room passes through it in order:
 * finals already in this language go out as they are, the others are translated once here,
 * however many viewers read them. Translations run concurrently, but are published in the
 * order of their sources, so viewers and the journal see finals in {@code seq} order.
 *
 * <p>All methods are called with the room's lock held.
 */
final class LanguageChannel {

    private static final Logger LOG = Logger.getLogger(LanguageChannel.class.getName());

    private final Room room;
    private final String lang;
    private final TextTranslator translator;
    private final Executor executor;
    private final GatewayMetrics metrics;
    private final Set<CaptionSink> viewers = new LinkedHashSet<>();
    /** Partials are translated at most this often per segment (and only when their stable prefix grew). */
    static final long PARTIAL_INTERVAL_NANOS = 400_000_000L;

    private final java.util.Map<Long, PartialState> partials = new java.util.HashMap<>();
    /** Segments whose final has been submitted: a late partial translation of them is dropped. */
    private final java.util.Set<Long> finalized = java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Long, Boolean> eldest) {
            return size() > 1024;
        }
    });
    /** Completes when every final submitted so far has been published. */
    private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);

    LanguageChannel(Room room, String lang, TextTranslator translator, Executor executor, GatewayMetrics metrics) {
        this.room = room;
        this.lang = lang;
        this.translator = translator;
        this.executor = executor;
        this.metrics = metrics;
    }

    String lang() {
        return lang;
    }

    Set<CaptionSink> viewers() {
        return viewers;
    }

    CompletableFuture<Void> caughtUp() {
        return published;
    }

    /** Takes the next final of the room. */
    void submit(Caption source) {
        finalized.add(source.segment());
        partials.remove(source.segment());
        CompletableFuture<Caption> inThisLanguage;
        if (source.lang().equals(lang)) {
            inThisLanguage = CompletableFuture.completedFuture(source);
        } else if (source.text().isBlank()) {
            return; // an empty final only closes partials, which were never shown in other languages
        } else {
            inThisLanguage = translate(source);
        }
        published = published
                .thenCombine(inThisLanguage, (ignored, caption) -> caption)
                .thenAccept(caption -> room.publishInChannel(this, caption))
                .exceptionally(e -> {
                    LOG.log(Level.SEVERE, "publishing a final in " + lang + " failed", e);
                    return null;
                });
    }

    private CompletableFuture<Caption> translate(Caption source) {
        return translateAsync(source.lang(), source.text())
                .handle((result, error) -> {
                    if (error != null) {
                        // The final is still delivered, in its own language and marked so: never lost.
                        LOG.log(Level.FINE, "translation " + source.lang() + "->" + lang + " failed", error);
                        metrics.translationFailed();
                        return source.asUntranslated();
                    }
                    metrics.translated();
                    return source.translated(lang, result.text(), result.flagged());
                });
    }

    /** Translates into this channel's language with the room's glossary, submitted from a worker, not under the lock. */
    private CompletableFuture<TextTranslator.Result> translateAsync(String from, String text) {
        return CompletableFuture.supplyAsync(() -> translator.translate(from, lang, text, room.glossary()), executor)
                .thenCompose(f -> f);
    }

    // ---- partials ----

    /**
     * Takes a partial of another language: its stable prefix (the words the recognizer will not
     * change) is translated, at most every {@link #PARTIAL_INTERVAL_NANOS} per segment and only
     * when it has grown, and shown as this language's partial unless the segment's final got
     * here first. Partials are never journaled, and one that comes too soon is simply skipped.
     */
    void submitPartial(Caption partial, String stablePrefix) {
        if (stablePrefix.isBlank() || finalized.contains(partial.segment())) {
            return;
        }
        PartialState st = partials.computeIfAbsent(partial.segment(), s -> new PartialState());
        long now = System.nanoTime();
        if (st.inFlight || stablePrefix.equals(st.lastPrefix) || now - st.lastNanos < PARTIAL_INTERVAL_NANOS) {
            return;
        }
        st.inFlight = true;
        st.lastPrefix = stablePrefix;
        st.lastNanos = now;
        Caption source = partial.withText(stablePrefix);
        translateAsync(partial.lang(), stablePrefix)
                .whenComplete((result, error) -> room.afterPartialTranslation(() -> {
                    st.inFlight = false;
                    if (error == null && !finalized.contains(partial.segment())) {
                        room.publishPartialInChannel(this, source.translated(lang, result.text(), result.flagged()));
                    }
                }));
    }

    /** Per segment: the last stable prefix translated, when, and whether a translation is running. */
    private static final class PartialState {
        String lastPrefix = "";
        long lastNanos;
        boolean inFlight;
    }
}
