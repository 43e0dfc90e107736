package io.parley.translate.marian.decode;

import io.parley.translate.marian.model.MarianNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decodes several sentences together — from different rooms, say — so that each decoder step
 * is one matrix product over every live hypothesis of every sentence. Beam size 1 is greedy
 * search, the models' own setting; a larger beam keeps that many hypotheses per sentence and
 * picks the best finished one by log-probability per token ({@code normalize: 1.0}).
 *
 * <p>A sentence's result never depends on the others in its batch: the output layer is computed
 * over the union of their shortlists, but each sentence chooses only among its own.
 */
public final class BatchSearch {

    private final MarianNetwork network;
    private final Shortlist shortlist;
    private final int eos;
    private final float maxLengthFactor;

    public BatchSearch(MarianNetwork network, Shortlist shortlist, int eos, float maxLengthFactor) {
        this.network = network;
        this.shortlist = shortlist;
        this.eos = eos;
        this.maxLengthFactor = maxLengthFactor;
    }

    /** Translates source-id sequences (each ending with EOS) into target ids (without EOS). */
    public List<int[]> translate(List<int[]> sources, int beamSize) {
        int n = sources.size();
        MarianNetwork.Encoded[] encoded = new MarianNetwork.Encoded[n];
        int[][] allowed = new int[n][];
        for (int s = 0; s < n; s++) {
            encoded[s] = network.encode(sources.get(s));
            allowed[s] = shortlist == null ? null : shortlist.targets(sources.get(s));
        }
        int[] union = shortlist == null ? allIds() : shortlist.targets(sources.toArray(int[][]::new));
        // For each sentence, the columns of the union it may choose from.
        int[][] columns = new int[n][];
        for (int s = 0; s < n; s++) {
            columns[s] = allowed[s] == null ? range(union.length) : positionsIn(union, allowed[s]);
        }
        List<List<Hypothesis>> live = new ArrayList<>();
        List<List<Hypothesis>> finished = new ArrayList<>();
        int[] maxLength = new int[n];
        for (int s = 0; s < n; s++) {
            live.add(new ArrayList<>(List.of(new Hypothesis(new int[0], 0f, network.start()))));
            finished.add(new ArrayList<>());
            maxLength[s] = Math.max(1, (int) Math.ceil(sources.get(s).length * maxLengthFactor));
        }
        try (MarianNetwork.OutputCandidates out = network.candidates(union)) {
            for (int step = 0; ; step++) {
                List<Integer> rowSentence = new ArrayList<>();
                List<Hypothesis> rows = new ArrayList<>();
                for (int s = 0; s < n; s++) {
                    for (Hypothesis h : live.get(s)) {
                        rowSentence.add(s);
                        rows.add(h);
                    }
                }
                if (rows.isEmpty()) {
                    break;
                }
                int m = rows.size();
                int[] previous = new int[m];
                MarianNetwork.State[] states = new MarianNetwork.State[m];
                MarianNetwork.Encoded[] src = new MarianNetwork.Encoded[m];
                for (int r = 0; r < m; r++) {
                    previous[r] = rows.get(r).last();
                    states[r] = rows.get(r).state();
                    src[r] = encoded[rowSentence.get(r)];
                }
                float[] logits = network.step(previous, states, src, out);
                int width = union.length;
                int r = 0;
                for (int s = 0; s < n; s++) {
                    List<Hypothesis> hs = live.get(s);
                    int count = hs.size();
                    if (count == 0) {
                        continue;
                    }
                    boolean last = step + 1 >= maxLength[s];
                    List<Hypothesis> next = beamSize == 1
                            ? greedy(hs.getFirst(), logits, r * width, union, columns[s], last, finished.get(s))
                            : expand(hs, logits, r, width, union, columns[s], beamSize, last, finished.get(s));
                    live.set(s, next);
                    r += count;
                }
            }
        }
        List<int[]> results = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            Hypothesis best = finished.get(s).stream()
                    .max(Comparator.comparingDouble(h -> h.logProb() / Math.max(1, h.tokens().length)))
                    .orElseThrow();
            int[] t = best.tokens();
            results.add(t.length > 0 && t[t.length - 1] == eos ? Arrays.copyOf(t, t.length - 1) : t);
        }
        return results;
    }

    private List<Hypothesis> greedy(Hypothesis h, float[] logits, int offset, int[] union, int[] cols, boolean last,
                                    List<Hypothesis> finished) {
        int best = cols[0];
        for (int c : cols) {
            if (logits[offset + c] > logits[offset + best]) {
                best = c;
            }
        }
        int token = union[best];
        Hypothesis next = h.extend(token, 0f, h.state());
        if (token == eos || last) {
            finished.add(next);
            return List.of();
        }
        return List.of(next);
    }

    private List<Hypothesis> expand(List<Hypothesis> hs, float[] logits, int firstRow, int width, int[] union,
                                    int[] cols, int beam, boolean last, List<Hypothesis> finished) {
        record Candidate(int parent, int token, float tokenLogProb, float total) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < hs.size(); i++) {
            int offset = (firstRow + i) * width;
            // Log-softmax over the sentence's own shortlist.
            float max = Float.NEGATIVE_INFINITY;
            for (int c : cols) {
                max = Math.max(max, logits[offset + c]);
            }
            double sum = 0;
            for (int c : cols) {
                sum += Math.exp(logits[offset + c] - max);
            }
            float logZ = (float) (max + Math.log(sum));
            // Only the best `beam` tokens of each parent can survive.
            int[] top = topK(logits, offset, cols, beam);
            for (int c : top) {
                float lp = logits[offset + c] - logZ;
                candidates.add(new Candidate(i, union[c], lp, hs.get(i).logProb() + lp));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::total).reversed());
        // As in Marian, the beam shrinks by one for every hypothesis that finishes.
        List<Hypothesis> next = new ArrayList<>();
        boolean[] parentUsed = new boolean[hs.size()];
        int room = beam - finished.size();
        for (Candidate c : candidates) {
            if (room <= 0) {
                break;
            }
            Hypothesis parent = hs.get(c.parent());
            // The first child of a parent takes its state; later ones get copies.
            MarianNetwork.State state = parentUsed[c.parent()] ? parent.state().copy() : parent.state();
            parentUsed[c.parent()] = true;
            Hypothesis child = parent.extend(c.token(), c.tokenLogProb(), state);
            if (c.token() == eos || last) {
                finished.add(child);
            } else {
                next.add(child);
            }
            room--;
        }
        if (finished.size() >= beam) {
            return List.of();
        }
        return next;
    }

    private static int[] topK(float[] logits, int offset, int[] cols, int k) {
        Integer[] order = Arrays.stream(cols).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> Float.compare(logits[offset + b], logits[offset + a]));
        int[] top = new int[Math.min(k, order.length)];
        for (int i = 0; i < top.length; i++) {
            top[i] = order[i];
        }
        return top;
    }

    private int[] allIds() {
        return range(network.config().vocabSize());
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Where each of {@code sub}'s ids sits in {@code union} (both sorted). */
    private static int[] positionsIn(int[] union, int[] sub) {
        int[] pos = new int[sub.length];
        int j = 0;
        for (int i = 0; i < sub.length; i++) {
            while (union[j] != sub[i]) {
                j++;
            }
            pos[i] = j;
        }
        return pos;
    }
}
