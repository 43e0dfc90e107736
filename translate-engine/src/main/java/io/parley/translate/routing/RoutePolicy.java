package io.parley.translate.routing;

/**
 * How routes are chosen.
 *
 * @param maxHops         the most engines one translation may pass through (1 to 4): every hop
 *                        adds its errors and its time, and three cover Parley's routes (for
 *                        example English → Portuguese → Catalan → French)
 * @param captionBudgetMs the most milliseconds per sentence a route may take to carry live
 *                        captions: a caption reaches viewers after recognition and translation
 *                        together, and should stay within about three seconds of speech
 */
public record RoutePolicy(int maxHops, int captionBudgetMs) {

    public static final RoutePolicy DEFAULT = new RoutePolicy(3, 1000);

    public RoutePolicy {
        if (maxHops < 1 || maxHops > 4) {
            throw new IllegalArgumentException("a route may pass through 1 to 4 engines, not " + maxHops);
        }
        if (captionBudgetMs < 50 || captionBudgetMs > 60_000) {
            throw new IllegalArgumentException("the captions' translation budget is 50 to 60000 ms per sentence, not "
                    + captionBudgetMs);
        }
    }
}
