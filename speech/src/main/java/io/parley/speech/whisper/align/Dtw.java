package io.parley.speech.whisper.align;

/**
 * Dynamic time warping of a cost matrix: the monotonic path from the top-left to the
 * bottom-right corner with the least total cost, moving down, right or diagonally. Ties prefer
 * the move to the right, as OpenAI's implementation does, so paths agree with it.
 */
final class Dtw {

    /** The path as pairs (row, column), in order. */
    record Path(int[] rows, int[] cols) {
    }

    private Dtw() {
    }

    static Path align(float[][] cost) {
        int n = cost.length;
        int m = cost[0].length;
        float[][] acc = new float[n + 1][m + 1];
        byte[][] trace = new byte[n + 1][m + 1];
        for (float[] row : acc) {
            java.util.Arrays.fill(row, Float.POSITIVE_INFINITY);
        }
        acc[0][0] = 0;
        for (int j = 1; j <= m; j++) {
            for (int i = 1; i <= n; i++) {
                float c0 = acc[i - 1][j - 1];
                float c1 = acc[i - 1][j];
                float c2 = acc[i][j - 1];
                float c;
                byte t;
                if (c0 < c1 && c0 < c2) {
                    c = c0;
                    t = 0;
                } else if (c1 < c0 && c1 < c2) {
                    c = c1;
                    t = 1;
                } else {
                    c = c2;
                    t = 2;
                }
                acc[i][j] = cost[i - 1][j - 1] + c;
                trace[i][j] = t;
            }
        }
        for (int j = 0; j <= m; j++) {
            trace[0][j] = 2;
        }
        for (int i = 0; i <= n; i++) {
            trace[i][0] = 1;
        }
        int i = n, j = m;
        int[] rows = new int[n + m];
        int[] cols = new int[n + m];
        int len = 0;
        while (i > 0 || j > 0) {
            rows[len] = i - 1;
            cols[len] = j - 1;
            len++;
            switch (trace[i][j]) {
                case 0 -> {
                    i--;
                    j--;
                }
                case 1 -> i--;
                default -> j--;
            }
        }
        int[] r = new int[len];
        int[] c = new int[len];
        for (int k = 0; k < len; k++) {
            r[k] = rows[len - 1 - k];
            c[k] = cols[len - 1 - k];
        }
        return new Path(r, c);
    }
}
