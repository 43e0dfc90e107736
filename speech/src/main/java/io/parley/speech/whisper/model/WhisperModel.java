package io.parley.speech.whisper.model;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whisper's encoder and decoder on an {@link Accelerator}, with weights loaded from a
 * CTranslate2 model file. Every operation goes through the accelerator's kernels, so the same
 * code runs on the JVM, OpenCL devices and TornadoVM.
 *
 * <p>One loaded model serves every stream: it holds only weights. What a stream owns (an
 * encoded window, a decoder's key/value cache) lives in {@link Encoded} and
 * {@link DecoderState}. The decoder takes several sequences at once and runs their matrix
 * products as one, so that streams (and beams) share each pass over the weights.
 */
public final class WhisperModel implements AutoCloseable {

    static final float LN_EPS = 1e-5f;

    private record Norm(DeviceArray gamma, DeviceArray beta) {
    }

    private record Linear(DeviceWeights w, DeviceArray bias) {
    }

    /**
     * Queries, keys and values are one product ({@code qkv}: 3 x width rows of weights, as
     * CTranslate2 stores them): the layer's input is read once and the product is wide enough to
     * keep every core busy; the three column blocks are then copied out for attention.
     */
    private record EncoderLayer(Norm attnNorm, Linear qkv, Linear out,
                                Norm mlpNorm, Linear fc1, Linear fc2) {
    }

    /** {@code qkv} as in the encoder; {@code crossKv}: the cross-attention's keys and values, one product. */
    private record DecoderLayer(Norm selfNorm, Linear qkv, Linear selfOut,
                                Norm crossNorm, Linear crossQ, Linear crossKv, Linear crossOut,
                                Norm mlpNorm, Linear fc1, Linear fc2) {
    }

    private final Accelerator acc;
    private final WhisperDims dims;
    private final Precision precision;
    private final DeviceWeights conv1;
    private final DeviceWeights conv2;
    private final DeviceArray conv1Bias;
    private final DeviceArray conv2Bias;
    private final DeviceArray encoderPositions;
    private final EncoderLayer[] encoderLayers;
    private final Norm encoderNorm;
    private final DeviceArray tokenTable;
    private final DeviceWeights logitProjection;
    private final DeviceArray decoderPositions;
    private final DecoderLayer[] decoderLayers;
    private final Norm decoderNorm;
    private final List<AutoCloseable> owned = new ArrayList<>();
    /**
     * Key/value caches of closed decoder states, kept for the next: enough for a beam of five and
     * a few streams, within {@link #POOLED_BYTES} but two at least (a cache of base is 11 MB, one
     * of medium 88 MB).
     */
    private static final int POOLED_CACHES = 16;
    private static final long POOLED_BYTES = 192L << 20;
    private final int pooledCachesMax;
    private final ConcurrentLinkedDeque<DeviceArray[]> freeCaches =
            new ConcurrentLinkedDeque<>();
    private final AtomicInteger pooledCaches = new AtomicInteger();
    private volatile boolean modelClosed;

    private WhisperModel(Accelerator acc, CTranslate2ModelFile f, Precision precision) {
        this.acc = acc;
        this.precision = precision;
        this.dims = WhisperDims.of(f);
        int d = dims.width();
        this.conv1 = matrix(f.get("encoder/conv1/weight"), d, dims.nMels() * 3);
        this.conv2 = matrix(f.get("encoder/conv2/weight"), d, d * 3);
        this.conv1Bias = vector(f.get("encoder/conv1/bias"));
        this.conv2Bias = vector(f.get("encoder/conv2/bias"));
        this.encoderPositions = vector(f.get("encoder/position_encodings/encodings"));
        this.encoderLayers = new EncoderLayer[dims.encoderLayers()];
        for (int l = 0; l < encoderLayers.length; l++) {
            String p = "encoder/layer_" + l + "/";
            encoderLayers[l] = new EncoderLayer(norm(f, p + "self_attention/layer_norm"),
                    fused(f, p + "self_attention/linear_0", 3), linear(f, p + "self_attention/linear_1"),
                    norm(f, p + "ffn/layer_norm"), linear(f, p + "ffn/linear_0"), linear(f, p + "ffn/linear_1"));
        }
        this.encoderNorm = norm(f, "encoder/layer_norm");
        Tensor embeddings = f.get("decoder/embeddings/weight");
        this.tokenTable = vector(embeddings);
        // The output projection is the token embedding transposed (tied weights, as in Whisper).
        this.logitProjection = matrix(f.get("decoder/projection/weight"), dims.vocab(), d);
        this.decoderPositions = vector(f.get("decoder/position_encodings/encodings"));
        this.decoderLayers = new DecoderLayer[dims.decoderLayers()];
        for (int l = 0; l < decoderLayers.length; l++) {
            String p = "decoder/layer_" + l + "/";
            decoderLayers[l] = new DecoderLayer(norm(f, p + "self_attention/layer_norm"),
                    fused(f, p + "self_attention/linear_0", 3), linear(f, p + "self_attention/linear_1"),
                    norm(f, p + "attention/layer_norm"),
                    linear(f, p + "attention/linear_0"), fused(f, p + "attention/linear_1", 2),
                    linear(f, p + "attention/linear_2"),
                    norm(f, p + "ffn/layer_norm"), linear(f, p + "ffn/linear_0"), linear(f, p + "ffn/linear_1"));
        }
        this.decoderNorm = norm(f, "decoder/layer_norm");
        long cacheBytes = 2L * decoderLayers.length * dims.textCtx() * d * Float.BYTES;
        this.pooledCachesMax = (int) Math.max(2, Math.min(POOLED_CACHES, POOLED_BYTES / cacheBytes));
    }

    /**
     * Loads {@code model.bin}, memory-mapped; the weights are copied into the accelerator in the
     * chosen precision and the file is released.
     *
     * @throws ModelFormatException for a truncated, foreign or mismatched file
     */
    public static WhisperModel load(Path modelBin, Accelerator acc, Precision precision) {
        try (CTranslate2ModelFile f = CTranslate2ModelFile.open(modelBin)) {
            return new WhisperModel(acc, f, precision);
        }
    }

    private DeviceWeights matrix(Tensor t, int rows, int cols) {
        if (t.elements() != (long) rows * cols) {
            throw new ModelFormatException(t.name() + " has " + t.elements() + " values, expected " + rows + "x" + cols);
        }
        DeviceWeights w = acc.upload(precision.matrix(t, rows, cols));
        owned.add(w);
        return w;
    }

    private DeviceArray vector(Tensor t) {
        DeviceArray a = acc.upload(t.toFloats());
        owned.add(a);
        return a;
    }

    private Norm norm(CTranslate2ModelFile f, String prefix) {
        return new Norm(vector(f.get(prefix + "/gamma")), vector(f.get(prefix + "/beta")));
    }

    private Linear linear(CTranslate2ModelFile f, String prefix) {
        return linear(f.get(prefix + "/weight"), f.has(prefix + "/bias") ? f.get(prefix + "/bias") : null);
    }

    /** A projection stored fused (CTranslate2 keeps Q, K and V as one): {@code parts} blocks of width rows. */
    private Linear fused(CTranslate2ModelFile f, String prefix, int parts) {
        Linear l = linear(f, prefix);
        if (l.w.rows() != parts * dims.width() || l.bias == null) {
            throw new ModelFormatException(prefix + " is not " + parts + " fused projections of width " + dims.width());
        }
        return l;
    }

    private Linear linear(Tensor w, Tensor bias) {
        return new Linear(matrix(w, w.dim(0), (int) (w.elements() / w.dim(0))), bias == null ? null : vector(bias));
    }

    public WhisperDims dims() {
        return dims;
    }

    public Precision precision() {
        return precision;
    }

    public Accelerator accelerator() {
        return acc;
    }

    // ---- encoder ----

    /**
     * An encoded window: the encoder's output and, per decoder layer, the cross-attention keys
     * and values computed from it once, for every decoding step that follows.
     */
    public final class Encoded implements AutoCloseable {
        public final int positions;
        final DeviceArray output;
        final DeviceArray[] crossK;
        final DeviceArray[] crossV;

        Encoded(int positions, DeviceArray output, DeviceArray[] crossK, DeviceArray[] crossV) {
            this.positions = positions;
            this.output = output;
            this.crossK = crossK;
            this.crossV = crossV;
        }

        /** The encoder's output, {@code positions x width}, read to the host. */
        public float[] output() {
            return acc.read(output);
        }

        @Override
        public void close() {
            output.close();
            for (int l = 0; l < crossK.length; l++) {
                crossK[l].close();
                crossV[l].close();
            }
        }
    }

    /**
     * Encodes {@code frames} frames of log-mel features ({@code frames x nMels}, time-major).
     * Whisper was trained on 3000 frames (30 s); fewer frames run the encoder on the real length,
     * with the position embeddings cut to match.
     */
    public Encoded encode(float[] mel, int frames) {
        return encode(List.of(mel), frames).getFirst();
    }

    /**
     * Encodes several windows of the same length at once: their matrix products run as one over
     * all their rows (the weights are read once), attention runs per window.
     */
    public List<Encoded> encode(List<float[]> mels, int frames) {
        int d = dims.width();
        if (frames % 2 != 0 || frames < 2 || frames > 2 * dims.audioCtx()) {
            throw new IllegalArgumentException("the encoder takes an even number of frames up to "
                    + 2 * dims.audioCtx() + ", not " + frames);
        }
        int b = mels.size();
        int t = frames / 2;
        int rows = b * t;
        DeviceArray x = acc.allocate(rows * d);
        try (DeviceArray input = acc.allocate(frames * dims.nMels());
             DeviceArray stem = acc.allocate(frames * d);
             DeviceArray one = b == 1 ? null : acc.allocate(t * d)) {
            for (int i = 0; i < b; i++) {
                DeviceArray out = b == 1 ? x : one;
                acc.write(input, 0, mels.get(i), 0, frames * dims.nMels());
                acc.conv1dK3(input, frames, dims.nMels(), conv1, conv1Bias, stem, 1);
                acc.gelu(stem, frames * d);
                acc.conv1dK3(stem, frames, d, conv2, conv2Bias, out, 2);
                acc.gelu(out, t * d);
                acc.add(out, encoderPositions, t * d);
                if (b > 1) {
                    acc.copy(one, 0, x, i * t * d, t * d);
                }
            }
        }
        // mlp (4 x width per row) also holds the fused Q/K/V product (3 x width), dead by the MLP.
        try (DeviceArray h = acc.allocate(rows * d);
             DeviceArray att = acc.allocate(rows * d);
             DeviceArray mlp = acc.allocate(rows * 4 * d);
             WindowViews views = new WindowViews(t * d, b > 1)) {
            for (EncoderLayer layer : encoderLayers) {
                acc.layerNorm(x, layer.attnNorm.gamma, layer.attnNorm.beta, h, rows, d, LN_EPS);
                linear(h, layer.qkv, mlp, rows);
                for (int i = 0; i < b; i++) {
                    int off = i * t * 3 * d;
                    acc.copyRows(mlp, off, 3 * d, views.q, 0, d, t, d);
                    acc.copyRows(mlp, off + d, 3 * d, views.k, 0, d, t, d);
                    acc.copyRows(mlp, off + 2 * d, 3 * d, views.v, 0, d, t, d);
                    if (b == 1) {
                        acc.attention(views.q, views.k, views.v, att, dims.heads(), dims.headDim(), t, t, 0, false);
                    } else {
                        acc.attention(views.q, views.k, views.v, views.out, dims.heads(), dims.headDim(), t, t, 0, false);
                        acc.copy(views.out, 0, att, i * t * d, t * d);
                    }
                }
                linear(att, layer.out, h, rows);
                acc.add(x, h, rows * d);
                acc.layerNorm(x, layer.mlpNorm.gamma, layer.mlpNorm.beta, h, rows, d, LN_EPS);
                acc.matmulGelu(h, layer.fc1.w, layer.fc1.bias, mlp, rows);
                linear(mlp, layer.fc2, h, rows);
                acc.add(x, h, rows * d);
            }
            acc.layerNorm(x, encoderNorm.gamma, encoderNorm.beta, x, rows, d, LN_EPS);
            // Each window's keys and values are copied out of the fused product into arrays of its
            // own, so that each window can be released on its own. In f16 they are kept as the
            // backend's attention reads them (f16 on the JVM: half the memory per window). Only
            // in f16: on two cores whose L3 holds the whole cache, widening f16 to f32 costs a
            // greedy step more than the bytes it saves (0.27 against 0.19 ms per layer), and
            // saves a beam of five (0.34 against 0.42 ms), so int8 keeps f32 for live latency.
            DeviceArray[][] crossK = new DeviceArray[b][decoderLayers.length];
            DeviceArray[][] crossV = new DeviceArray[b][decoderLayers.length];
            for (int l = 0; l < decoderLayers.length; l++) {
                linear(x, decoderLayers[l].crossKv, mlp, rows);
                for (int i = 0; i < b; i++) {
                    crossK[i][l] = crossCache(mlp, i * t * 2 * d, t, d);
                    crossV[i][l] = crossCache(mlp, i * t * 2 * d + d, t, d);
                }
            }
            if (b == 1) {
                return List.of(new Encoded(t, x, crossK[0], crossV[0]));
            }
            List<Encoded> out = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                out.add(new Encoded(t, slice(x, i * t * d, t * d), crossK[i], crossV[i]));
            }
            x.close();
            return out;
        }
    }

    /** One window's queries, keys, values and (when there are several windows) attention output. */
    private final class WindowViews implements AutoCloseable {
        final DeviceArray q;
        final DeviceArray k;
        final DeviceArray v;
        final DeviceArray out;

        WindowViews(int size, boolean withOut) {
            q = acc.allocate(size);
            k = acc.allocate(size);
            v = acc.allocate(size);
            out = withOut ? acc.allocate(size) : null;
        }

        @Override
        public void close() {
            q.close();
            k.close();
            v.close();
            if (out != null) {
                out.close();
            }
        }
    }

    private DeviceArray slice(DeviceArray from, int offset, int length) {
        DeviceArray a = acc.allocate(length);
        acc.copy(from, offset, a, 0, length);
        return a;
    }

    private void linear(DeviceArray in, Linear l, DeviceArray out, int rows) {
        acc.matmul(in, l.w, l.bias, out, rows);
    }

    // ---- decoder ----

    /** A sequence being decoded: its key/value cache per layer, and the window it attends to. */
    public final class DecoderState implements AutoCloseable {
        final Encoded encoded;
        final DeviceArray[] k;
        final DeviceArray[] v;
        private final DeviceArray[] cache;
        int length;
        private boolean closed;

        DecoderState(Encoded encoded) {
            this.encoded = encoded;
            this.cache = takeCache();
            int layers = decoderLayers.length;
            this.k = Arrays.copyOfRange(cache, 0, layers);
            this.v = Arrays.copyOfRange(cache, layers, 2 * layers);
        }

        /** Tokens already in the cache. */
        public int length() {
            return length;
        }

        public Encoded encoded() {
            return encoded;
        }

        /** Makes this state a copy of {@code other} (beam search: a beam takes over its parent's history). */
        public void copyFrom(DecoderState other) {
            int n = other.length * dims.width();
            for (int l = 0; l < k.length; l++) {
                acc.copy(other.k[l], 0, k[l], 0, n);
                acc.copy(other.v[l], 0, v[l], 0, n);
            }
            length = other.length;
        }

        /** Forgets the last tokens: the cache is cut back to {@code length} positions. */
        public void truncate(int newLength) {
            length = Math.min(length, newLength);
        }

        /** Gives the cache back to the model's pool (it is reused, not cleared: {@code length} says what is valid). */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                giveBack(cache);
            }
        }
    }

    /**
     * A free key/value cache, from the pool or new. A cache is 2 x layers x context x width floats
     * (11 MB for base): a beam search of five takes ten per window, and allocating them afresh
     * (zeroed, then collected) cost more than the search's own arithmetic over short windows.
     */
    private DeviceArray[] takeCache() {
        DeviceArray[] cache = freeCaches.pollFirst();
        if (cache != null) {
            pooledCaches.decrementAndGet();
            return cache;
        }
        int size = dims.textCtx() * dims.width();
        cache = new DeviceArray[2 * decoderLayers.length];
        for (int i = 0; i < cache.length; i++) {
            cache[i] = acc.allocate(size);
        }
        return cache;
    }

    private void giveBack(DeviceArray[] cache) {
        if (!modelClosed) {
            if (pooledCaches.incrementAndGet() <= pooledCachesMax) {
                freeCaches.addFirst(cache);
                return;
            }
            pooledCaches.decrementAndGet();
        }
        for (DeviceArray a : cache) {
            a.close();
        }
    }

    public DecoderState newState(Encoded encoded) {
        return new DecoderState(encoded);
    }

    /** {@code t} rows of {@code d} keys or values out of a fused K/V product whose rows are {@code 2d} wide. */
    private DeviceArray crossCache(DeviceArray fused, int offset, int t, int d) {
        if (precision != Precision.F16) {
            DeviceArray cache = acc.allocate(t * d);
            acc.copyRows(fused, offset, 2 * d, cache, 0, d, t, d);
            return cache;
        }
        return acc.keyValueCache(fused, offset, 2 * d, t, d);
    }

    /**
     * Cross-attention weights of chosen heads over a pass: {@code weights[i]} belongs to head
     * {@code heads[i]} ({layer, head}), {@code tokens x positions}.
     */
    public record CrossAttention(int tokens, int positions, int[][] heads, float[][] weights) {
    }

    /**
     * Feeds tokens to several sequences at once and returns, for each, the logits after its last
     * token, or after those of its tokens that {@code wanted[i]} names, one row of {@code vocab}
     * after another (a null array or entry: the last only). Each sequence's tokens go after those
     * already in its cache. The sequences' matrix products run as one; attention runs per
     * sequence, over its own cache and window. A greedy decoder checks a whole draft of tokens in
     * one pass with every row's logits.
     */
    public float[][] decode(List<DecoderState> states, List<int[]> tokens, LogitRows[] wanted) {
        return pass(states, tokens, wanted, null, null);
    }

    /**
     * Feeds {@code tokens} to {@code state} for the cross-attention weights of {@code heads}
     * ({layer, head} pairs): word alignment. No logits are computed, nor anything after the last
     * layer's cross-attention.
     */
    public CrossAttention crossAttention(DecoderState state, int[] tokens, int[][] heads) {
        for (int[] head : heads) {
            if (head.length != 2 || head[0] < 0 || head[0] >= decoderLayers.length || head[1] < 0
                    || head[1] >= dims.heads()) {
                throw new IllegalArgumentException("no cross-attention head " + java.util.Arrays.toString(head)
                        + " in a model of " + decoderLayers.length + " layers of " + dims.heads() + " heads");
            }
        }
        float[][] weights = new float[heads.length][];
        pass(List.of(state), List.of(tokens), new LogitRows[]{LogitRows.none()}, heads, weights);
        return new CrossAttention(tokens.length, state.encoded.positions, heads, weights);
    }

    /**
     * {@link #decode}, and where {@code captureHeads} is not null, the first sequence's
     * cross-attention weights of those heads into {@code captured}. Where no sequence wants
     * logits, the last layer stops after its cross-attention: what follows feeds only the logits.
     */
    private float[][] pass(List<DecoderState> states, List<int[]> tokens, LogitRows[] wanted,
                           int[][] captureHeads, float[][] captured) {
        int d = dims.width();
        int b = states.size();
        int[] rowStart = new int[b + 1];
        for (int i = 0; i < b; i++) {
            int n = tokens.get(i).length;
            if (states.get(i).closed) {
                throw new IllegalStateException("a closed decoder state was fed tokens");
            }
            if (n == 0 || states.get(i).length + n > dims.textCtx()) {
                throw new IllegalArgumentException("a sequence takes 1 to " + (dims.textCtx() - states.get(i).length)
                        + " more tokens, not " + n);
            }
            rowStart[i + 1] = rowStart[i] + n;
        }
        int rows = rowStart[b];
        int[][] outRowsOf = new int[b][];
        int[] outStart = new int[b + 1];
        for (int i = 0; i < b; i++) {
            LogitRows asked = wanted == null || wanted[i] == null ? LogitRows.last() : wanted[i];
            outRowsOf[i] = asked.of(rowStart[i + 1] - rowStart[i]);
            outStart[i + 1] = outStart[i] + outRowsOf[i].length;
        }
        int outRows = outStart[b];
        int maxT = 0;
        for (int i = 0; i < b; i++) {
            maxT = Math.max(maxT, Math.max(states.get(i).length + tokens.get(i).length, states.get(i).encoded.positions));
        }
        float[][] result = new float[b][];
        try (DeviceArray x = acc.allocate(rows * d); DeviceArray h = acc.allocate(rows * d);
             DeviceArray q = acc.allocate(rows * d); DeviceArray att = acc.allocate(rows * d);
             DeviceArray qOne = acc.allocate(rows * d); DeviceArray attOne = acc.allocate(rows * d);
             DeviceArray probs = acc.allocate(dims.heads() * rows * maxT);
             DeviceArray mlp = acc.allocate(rows * 4 * d); DeviceArray last = acc.allocate(Math.max(1, outRows) * d);
             DeviceArray logits = acc.allocate(Math.max(1, outRows) * dims.vocab())) {
            for (int i = 0; i < b; i++) {
                int n = rowStart[i + 1] - rowStart[i];
                try (DeviceArray emb = acc.allocate(n * d)) {
                    acc.embed(tokenTable, tokens.get(i), 1f, decoderPositions, states.get(i).length, emb, d);
                    acc.copy(emb, 0, x, rowStart[i] * d, n * d);
                }
            }
            for (int l = 0; l < decoderLayers.length; l++) {
                DecoderLayer layer = decoderLayers[l];
                // Self-attention: keys and values of the new tokens join each sequence's cache.
                acc.layerNorm(x, layer.selfNorm.gamma, layer.selfNorm.beta, h, rows, d, LN_EPS);
                linear(h, layer.qkv, mlp, rows); // mlp is free until the feed-forward
                for (int i = 0; i < b; i++) {
                    DecoderState s = states.get(i);
                    int n = rowStart[i + 1] - rowStart[i];
                    int row = rowStart[i] * 3 * d;
                    acc.copyRows(mlp, row, 3 * d, qOne, 0, d, n, d);
                    acc.copyRows(mlp, row + d, 3 * d, s.k[l], s.length * d, d, n, d);
                    acc.copyRows(mlp, row + 2 * d, 3 * d, s.v[l], s.length * d, d, n, d);
                    acc.attention(qOne, s.k[l], s.v[l], attOne, probs, dims.heads(), dims.headDim(), n,
                            s.length + n, s.length, true);
                    acc.copy(attOne, 0, att, rowStart[i] * d, n * d);
                }
                linear(att, layer.selfOut, h, rows);
                acc.add(x, h, rows * d);
                // Cross-attention over each sequence's encoded window.
                acc.layerNorm(x, layer.crossNorm.gamma, layer.crossNorm.beta, h, rows, d, LN_EPS);
                linear(h, layer.crossQ, q, rows);
                // Sequences over the same window (the hypotheses of a beam) attend together: one
                // pass over its keys and values serves all their queries.
                for (int i = 0; i < b; ) {
                    DecoderState s = states.get(i);
                    boolean wantWeights = i == 0 && captureHeads != null;
                    int j = i + 1;
                    while (!wantWeights && j < b && states.get(j).encoded == s.encoded) {
                        j++;
                    }
                    int n = rowStart[j] - rowStart[i];
                    acc.copy(q, rowStart[i] * d, qOne, 0, n * d);
                    acc.attention(qOne, s.encoded.crossK[l], s.encoded.crossV[l], attOne, probs, dims.heads(),
                            dims.headDim(), n, s.encoded.positions, 0, false);
                    if (wantWeights) {
                        // Only the heads asked for leave the device: a layer's weights are
                        // heads x tokens x positions, one head's block after another.
                        int block = n * s.encoded.positions;
                        for (int c = 0; c < captureHeads.length; c++) {
                            if (captureHeads[c][0] == l) {
                                captured[c] = new float[block];
                                acc.read(probs, captureHeads[c][1] * block, captured[c], 0, block);
                            }
                        }
                    }
                    acc.copy(attOne, 0, att, rowStart[i] * d, n * d);
                    i = j;
                }
                if (outRows == 0 && l == decoderLayers.length - 1) {
                    break; // the rest of the last layer feeds only the logits
                }
                linear(att, layer.crossOut, h, rows);
                acc.add(x, h, rows * d);
                // Feed-forward.
                acc.layerNorm(x, layer.mlpNorm.gamma, layer.mlpNorm.beta, h, rows, d, LN_EPS);
                acc.matmulGelu(h, layer.fc1.w, layer.fc1.bias, mlp, rows);
                linear(mlp, layer.fc2, h, rows);
                acc.add(x, h, rows * d);
            }
            // Logits of each sequence's wanted positions (its last, by default): runs of
            // consecutive positions are copied at once.
            for (int i = 0; i < b; i++) {
                int[] own = outRowsOf[i];
                for (int r = 0; r < own.length; ) {
                    int run = 1;
                    while (r + run < own.length && own[r + run] == own[r] + run) {
                        run++;
                    }
                    acc.copy(x, (rowStart[i] + own[r]) * d, last, (outStart[i] + r) * d, run * d);
                    r += run;
                }
            }
            if (outRows > 0) {
                acc.layerNorm(last, decoderNorm.gamma, decoderNorm.beta, last, outRows, d, LN_EPS);
                acc.matmul(last, logitProjection, null, logits, outRows);
            }
            for (int i = 0; i < b; i++) {
                int count = outStart[i + 1] - outStart[i];
                result[i] = new float[count * dims.vocab()];
                if (count > 0) {
                    acc.read(logits, outStart[i] * dims.vocab(), result[i], 0, count * dims.vocab());
                }
                states.get(i).length += rowStart[i + 1] - rowStart[i];
            }
        }
        return result;
    }

    /** One sequence: {@link #decode} for a single state. */
    public float[] decode(DecoderState state, int[] tokens) {
        return decode(List.of(state), List.of(tokens), null)[0];
    }

    @Override
    public void close() {
        modelClosed = true;
        for (DeviceArray[] cache; (cache = freeCaches.pollFirst()) != null; ) {
            for (DeviceArray a : cache) {
                a.close();
            }
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // device memory goes with the process anyway
            }
        }
    }
}
