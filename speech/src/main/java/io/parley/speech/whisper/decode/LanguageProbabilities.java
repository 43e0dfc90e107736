package io.parley.speech.whisper.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The language Whisper hears, with the probability of each language it knows. */
public record LanguageProbabilities(Map<String, Double> probabilities) {

    public String best() {
        return probabilities.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    public double probability(String code) {
        return probabilities.getOrDefault(code, 0.0);
    }

    /** The most likely languages first. */
    public List<Map.Entry<String, Double>> ranked() {
        List<Map.Entry<String, Double>> l = new ArrayList<>(probabilities.entrySet());
        l.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return l;
    }

    /** Softmax over the language tokens' logits at the start of transcript. */
    static LanguageProbabilities of(float[] logits, Map<String, Integer> languageTokens) {
        double max = Double.NEGATIVE_INFINITY;
        for (int id : languageTokens.values()) {
            max = Math.max(max, logits[id]);
        }
        double sum = 0;
        for (int id : languageTokens.values()) {
            sum += Math.exp(logits[id] - max);
        }
        Map<String, Double> p = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : languageTokens.entrySet()) {
            p.put(e.getKey(), Math.exp(logits[e.getValue()] - max) / sum);
        }
        return new LanguageProbabilities(p);
    }
}
