package io.parley.translate.api;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A machine translation engine. It declares the language pairs it serves; a request carries
 * one pair and any number of texts, and completes with one translation per text, in order.
 * Implementations are thread-safe and may batch requests from many callers.
 */
public interface Translator extends AutoCloseable {

    /** A short stable name, e.g. {@code apertium}; shown by {@code /v1/languages}. */
    String engine();

    /**
     * Whether this is a neural model: where no measured score decides between routes, a route
     * through a neural model is preferred (see {@code RouteRanking}).
     */
    default boolean neural() {
        return false;
    }

    /** The pairs this engine translates directly. */
    Set<LanguagePair> pairs();

    /**
     * Translates {@code texts} from {@code pair.source()} to {@code pair.target()}.
     * The future fails with a {@link TranslationException} carrying a stable code.
     */
    CompletableFuture<List<Translation>> translate(LanguagePair pair, List<String> texts);

    /** Texts accepted and not yet translated: a queue depth for monitoring. */
    default int pendingRequests() {
        return 0;
    }

    /** Gets a pair ready (starts processes, loads models) so that its first request is not slow. */
    default void prepare(LanguagePair pair) {
    }

    @Override
    void close();
}
