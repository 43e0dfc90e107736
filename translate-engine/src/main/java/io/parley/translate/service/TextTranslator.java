package io.parley.translate.service;

import io.parley.translate.api.Translation;
import io.parley.translate.api.TranslationException;
import io.parley.translate.routing.Route;
import io.parley.translate.routing.TranslationRouter;
import io.parley.translate.text.SentenceSplitter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Text in, translation out, the way captions and the text API need it: split into sentences,
 * each looked up in the cache, the rest sent together along the best route with the glossary's
 * terms protected, and the sentences put back together.
 */
public final class TextTranslator {

    /**
     * A translated text.
     *
     * @param text    the translation
     * @param flagged words the engines did not know, as they appear in {@code text}
     * @param route   the route taken
     */
    public record Result(String text, List<String> flagged, Route route) {
    }

    /** What the translation is for: routes for captions keep within a time budget. */
    public enum Use {
        /** The text API: the best route, however long it takes. */
        TEXT,
        /** Live captions: the best route within the router's caption budget. */
        CAPTIONS
    }

    private final TranslationRouter router;
    private final TranslationCache cache;

    public TextTranslator(TranslationRouter router, TranslationCache cache) {
        this.router = router;
        this.cache = cache;
    }

    public TranslationRouter router() {
        return router;
    }

    public TranslationCache cache() {
        return cache;
    }

    /**
     * Translates {@code text}; fails with {@link TranslationException} {@code unsupported_pair}
     * when no route joins the languages.
     */
    public CompletableFuture<Result> translate(String from, String to, String text, Glossary glossary) {
        return translate(from, to, text, glossary, Use.TEXT);
    }

    /** Translates {@code text} along the route chosen for {@code use}. */
    public CompletableFuture<Result> translate(String from, String to, String text, Glossary glossary, Use use) {
        Route route = (use == Use.CAPTIONS ? router.captionRoute(from, to) : router.route(from, to)).orElse(null);
        if (route == null) {
            return CompletableFuture.failedFuture(new TranslationException("unsupported_pair",
                    "no installed engine or route translates " + from + " into " + to));
        }
        List<String> sentences = SentenceSplitter.split(text);
        Translation[] done = new Translation[sentences.size()];
        List<Integer> missing = new ArrayList<>();
        List<ProtectedSpans> masks = new ArrayList<>();
        for (int i = 0; i < sentences.size(); i++) {
            Translation cached = cache.get(new TranslationCache.Key(route.signature(), sentences.get(i), glossary));
            if (cached != null) {
                done[i] = cached;
            } else {
                missing.add(i);
                masks.add(ProtectedSpans.mask(sentences.get(i), glossary, to));
            }
        }
        CompletableFuture<List<Translation>> fresh = missing.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : route.translate(masks.stream().map(ProtectedSpans::masked).toList());
        return fresh.thenApply(translations -> {
            for (int k = 0; k < missing.size(); k++) {
                ProtectedSpans mask = masks.get(k);
                Translation t = translations.get(k);
                Translation restored = new Translation(mask.unmask(t.text()),
                        t.flaggedWords().stream().filter(w -> !mask.isPlaceholder(w)).toList());
                int i = missing.get(k);
                cache.put(new TranslationCache.Key(route.signature(), sentences.get(i), glossary), restored);
                done[i] = restored;
            }
            StringBuilder out = new StringBuilder();
            List<String> flagged = new ArrayList<>();
            for (Translation t : done) {
                if (!t.text().isEmpty()) {
                    out.append(out.isEmpty() ? "" : " ").append(t.text());
                }
                flagged.addAll(t.flaggedWords());
            }
            return new Result(out.toString(), flagged, route);
        });
    }
}
