package io.parley.translate.routing;

import java.util.Optional;

/**
 * Speech into English has two routes: the speech recognizer's own translation (Whisper's
 * translate task), or its transcript carried by the text route to English. Both are scored on
 * the same spoken sentences ({@code ./parley bench mt}) and kept in the route table under the
 * names below; for each spoken language the better one captions the room in English.
 */
public final class SpeechRoutes {

    private SpeechRoutes() {
    }

    /** The table's name for Whisper translating speech in {@code lang} into English. */
    public static String whisperTranslate(String lang) {
        return "speech:whisper-translate:" + lang + "-en";
    }

    /** The table's name for Whisper's transcript in the route's source language, carried by the route. */
    public static String transcribeThen(Route route) {
        return "speech:whisper-transcribe:" + route.pair().source() + "+" + route.signature();
    }

    /** The two scores for speech in {@code lang}, where both are measured. */
    public record Comparison(String lang, RouteScore whisperTranslate, RouteScore transcribeThenRoute) {

        /**
         * Whether Whisper's own translation wins: it must beat the route on chrF and on BLEU.
         * Speech scores come from few sentences; where the two metrics disagree, the difference
         * is within their noise, and the text route (whose steps are each measured on many more
         * sentences) is kept.
         */
        public boolean whisperWins() {
            return whisperTranslate.chrF() > transcribeThenRoute.chrF() && whisperTranslate.bleu() > transcribeThenRoute.bleu();
        }
    }

    /** The comparison for speech in {@code lang}, if the router has a route to English and both are scored. */
    public static Optional<Comparison> compare(TranslationRouter router, String lang) {
        if (lang.equals("en")) {
            return Optional.empty();
        }
        return router.captionRoute(lang, "en").flatMap(route -> router.scores().of(whisperTranslate(lang))
                .flatMap(w -> router.scores().of(transcribeThen(route)).map(t -> new Comparison(lang, w, t))));
    }
}
