package io.parley.translate.routing;

/**
 * What one route measured on the evaluation sentences.
 *
 * @param route         the route's {@link Route#signature() signature}
 * @param chrF          chrF2 of its output against the human translations (0 to 100)
 * @param bleu          BLEU of the same output (0 to 100)
 * @param sentences     how many sentences were scored
 * @param msPerSentence the median time to translate one sentence sent alone, as a live caption is
 *                      (the sum of its steps' medians: the steps run one after the other)
 */
public record RouteScore(String route, double chrF, double bleu, int sentences, double msPerSentence) {

    public RouteScore {
        if (route == null || route.isBlank()) {
            throw new IllegalArgumentException("a route score needs the route it scores");
        }
        if (!(chrF >= 0 && chrF <= 100) || !(bleu >= 0 && bleu <= 100)) {
            throw new IllegalArgumentException(route + ": scores are 0 to 100, not chrF " + chrF + " BLEU " + bleu);
        }
        if (sentences <= 0 || !(msPerSentence >= 0)) {
            throw new IllegalArgumentException(route + ": needs a positive sentence count and a latency");
        }
    }
}
