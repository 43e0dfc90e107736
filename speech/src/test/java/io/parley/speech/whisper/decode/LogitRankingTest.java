package io.parley.speech.whisper.decode;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The vectorised scans against plain loops, on vocabularies with ties, suppressed tokens and odd lengths. */
class LogitRankingTest {

    private static float[] logits(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            // few distinct values make ties common; -inf stands for suppressed tokens
            a[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? 3f : random.nextInt(40) / 4f - 5f;
        }
        return a;
    }

    private static int[] plainTopK(float[] a, int k) {
        return IntStream.range(0, a.length).filter(t -> a[t] != Float.NEGATIVE_INFINITY).boxed()
                .sorted(Comparator.<Integer>comparingDouble(t -> -a[t]).thenComparingInt(t -> t))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKArgmaxAndMaxAgreeWithPlainScans() {
        Random random = new Random(11);
        for (int n : new int[]{1, 5, 15, 16, 17, 63, 1000, 51865}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] a = logits(random, n);
                for (int k : new int[]{1, 2, 6}) {
                    assertArrayEquals(plainTopK(a, k), LogitRanking.topK(a, k), "n=" + n + " k=" + k);
                }
                int best = 0;
                for (int t = 1; t < n; t++) {
                    if (a[t] > a[best]) {
                        best = t;
                    }
                }
                assertEquals(best, LogitRanking.argmax(a), "argmax, n=" + n);
                int from = Math.min(n, 3);
                float max = Float.NEGATIVE_INFINITY;
                for (int t = from; t < n; t++) {
                    max = Math.max(max, a[t]);
                }
                assertEquals(max, LogitRanking.max(a, from, n));
            }
        }
    }

    @Test
    void fewerThanKFiniteValuesGiveThemAll() {
        float[] a = new float[40];
        Arrays.fill(a, Float.NEGATIVE_INFINITY);
        a[7] = 1f;
        a[33] = 2f;
        assertArrayEquals(new int[]{33, 7}, LogitRanking.topK(a, 6));
        a[7] = Float.NEGATIVE_INFINITY;
        a[33] = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new int[0], LogitRanking.topK(a, 3));
    }
}
