package io.parley.gateway.room;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.translate.routing.Route;
import io.parley.translate.routing.TranslationRouter;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
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
    private final TranslationRouter router;
    private final Executor executor;
    private final GatewayMetrics metrics;
    private final Set<CaptionSink> viewers = new LinkedHashSet<>();
    /** Completes when every final submitted so far has been published. */
    private CompletableFuture<Void> published = CompletableFuture.completedFuture(null);

    LanguageChannel(Room room, String lang, TranslationRouter router, Executor executor, GatewayMetrics metrics) {
        this.room = room;
        this.lang = lang;
        this.router = router;
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
        Optional<Route> route = router.route(source.lang(), lang);
        if (route.isEmpty()) {
            metrics.translationFailed();
            return CompletableFuture.completedFuture(source.asUntranslated());
        }
        return CompletableFuture.supplyAsync(() -> route.get().translate(List.of(source.text())), executor)
                .thenCompose(f -> f)
                .handle((translations, error) -> {
                    if (error != null) {
                        // The final is still delivered, in its own language and marked so: never lost.
                        LOG.log(Level.WARNING, "translation " + source.lang() + "->" + lang + " failed", error);
                        metrics.translationFailed();
                        return source.asUntranslated();
                    }
                    metrics.translated();
                    var t = translations.getFirst();
                    return source.translated(lang, t.text(), t.flaggedWords());
                });
    }
}
