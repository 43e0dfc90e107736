package io.parley.translate.marian.decode;

import io.parley.translate.marian.model.MarianNetwork;

/** A partial translation in a search: its tokens so far, log-probability, and decoder state. */
record Hypothesis(int[] tokens, float logProb, MarianNetwork.State state) {

    int last() {
        return tokens.length == 0 ? -1 : tokens[tokens.length - 1];
    }

    Hypothesis extend(int token, float tokenLogProb, MarianNetwork.State next) {
        int[] t = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        t[tokens.length] = token;
        return new Hypothesis(t, logProb + tokenLogProb, next);
    }
}
