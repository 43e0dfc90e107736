package io.parley.translate.marian.model;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.DeviceWeights;
import io.parley.kernels.nn.AttentionKernels;
import io.parley.kernels.nn.NormKernels;
import io.parley.kernels.tensor.Int8Weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bergamot "tiny" Transformer: a post-norm encoder, and a decoder whose layers are an SSRU
 * (in place of self-attention, so a decoder step carries one state vector per layer instead of
 * a growing key/value cache), cross-attention over the encoder's output, and a feed-forward
 * block. Every affine layer runs with its 8-bit weights through the {@link Accelerator}
 * ({@link QuantizedLinear}); the small per-element steps run on the host: layer norms and
 * attention over a sentence's few dozen positions with gpu-kernels' reference kernels, the SSRU
 * gate here.
 *
 * <p>Marian's conventions, which a reimplementation must follow to give the same words:
 * embeddings are scaled by √dim before sinusoidal positions are added (sines in the first
 * half of a vector, cosines in the second); the first decoder step's input is a zero
 * embedding (no start token) at position 0; layer norms use ε = 1e-9.
 */
public final class MarianNetwork implements AutoCloseable {

    static final float LN_EPS = 1e-9f;

    private final Accelerator acc;
    private final MarianModelConfig config;
    private final QuantizedMatrix embeddings;
    private final float[] outputBias;
    private final float embeddingScale;
    private final List<EncoderLayer> encoder = new ArrayList<>();
    private final List<DecoderLayer> decoder = new ArrayList<>();

    private record Norm(float[] scale, float[] bias) {
        static Norm load(MarianFile f, String prefix) {
            return new Norm(f.floats(prefix + "_ln_scale"), f.floats(prefix + "_ln_bias"));
        }
    }

    private record Attention(QuantizedLinear q, QuantizedLinear k, QuantizedLinear v, QuantizedLinear o, Norm norm)
            implements AutoCloseable {
        static Attention load(Accelerator acc, MarianFile f, String p) {
            return new Attention(QuantizedLinear.load(acc, f, p + "_Wq", p + "_bq"),
                    QuantizedLinear.load(acc, f, p + "_Wk", p + "_bk"),
                    QuantizedLinear.load(acc, f, p + "_Wv", p + "_bv"),
                    QuantizedLinear.load(acc, f, p + "_Wo", p + "_bo"), Norm.load(f, p + "_Wo"));
        }

        @Override
        public void close() {
            q.close();
            k.close();
            v.close();
            o.close();
        }
    }

    private record FeedForward(QuantizedLinear w1, QuantizedLinear w2, Norm norm) implements AutoCloseable {
        static FeedForward load(Accelerator acc, MarianFile f, String p) {
            return new FeedForward(QuantizedLinear.load(acc, f, p + "_W1", p + "_b1"),
                    QuantizedLinear.load(acc, f, p + "_W2", p + "_b2"), Norm.load(f, p + "_ffn"));
        }

        @Override
        public void close() {
            w1.close();
            w2.close();
        }
    }

    private record EncoderLayer(Attention self, FeedForward ffn) {
    }

    private record DecoderLayer(QuantizedLinear rnnW, QuantizedLinear rnnWf, Norm rnnNorm, Attention context,
                                FeedForward ffn) {
    }

    private MarianNetwork(Accelerator acc, MarianFile f, MarianModelConfig config) {
        this.acc = acc;
        this.config = config;
        this.embeddings = f.int8("Wemb");
        if (embeddings.rows() != config.vocabSize() || embeddings.cols() != config.dim()) {
            throw new MarianModelException("Wemb is " + embeddings.rows() + " x " + embeddings.cols() + "; the model"
                    + " declares " + config.vocabSize() + " x " + config.dim());
        }
        this.outputBias = f.floats("decoder_ff_logit_out_b");
        this.embeddingScale = (float) Math.sqrt(config.dim());
        for (int l = 1; l <= config.encoderLayers(); l++) {
            String p = "encoder_l" + l;
            encoder.add(new EncoderLayer(Attention.load(acc, f, p + "_self"), FeedForward.load(acc, f, p + "_ffn")));
        }
        for (int l = 1; l <= config.decoderLayers(); l++) {
            String p = "decoder_l" + l;
            decoder.add(new DecoderLayer(QuantizedLinear.load(acc, f, p + "_rnn_W", null),
                    QuantizedLinear.load(acc, f, p + "_rnn_Wf", p + "_rnn_bf"), Norm.load(f, p + "_rnn_ffn"),
                    Attention.load(acc, f, p + "_context"), FeedForward.load(acc, f, p + "_ffn")));
        }
    }

    /** Loads a model file onto an accelerator; the architecture is checked first. */
    public static MarianNetwork load(Accelerator acc, Path modelFile) throws IOException {
        MarianFile f = MarianFile.open(modelFile);
        if (!f.has("special:model.yml")) {
            throw new MarianModelException(modelFile.getFileName() + " has no special:model.yml; it is not a Marian"
                    + " model Parley can read");
        }
        MarianModelConfig config = MarianModelConfig.parse(f.text("special:model.yml"));
        return new MarianNetwork(acc, f, config);
    }

    public MarianModelConfig config() {
        return config;
    }

    /** A source sentence after the encoder: each decoder layer's keys and values over it. */
    public record Encoded(int length, float[][] keys, float[][] values) {
    }

    /** Runs the encoder over one sentence's token ids (which end with EOS). */
    public Encoded encode(int[] ids) {
        int n = ids.length;
        int d = config.dim();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            embeddings.row(ids[i], x, i * d);
            for (int j = 0; j < d; j++) {
                x[i * d + j] *= embeddingScale;
            }
            addPosition(x, i * d, i, d);
        }
        try (Scratch s = new Scratch(n)) {
            for (EncoderLayer layer : encoder) {
                float[] q = s.apply(layer.self().q(), x, n);
                float[] k = s.apply(layer.self().k(), x, n);
                float[] v = s.apply(layer.self().v(), x, n);
                float[] ctx = attend(q, n, k, v, n);
                float[] o = s.apply(layer.self().o(), ctx, n);
                addNorm(x, o, layer.self().norm(), n);
                feedForward(layer.ffn(), x, n, s);
            }
            float[][] keys = new float[decoder.size()][];
            float[][] values = new float[decoder.size()][];
            for (int l = 0; l < decoder.size(); l++) {
                keys[l] = s.apply(decoder.get(l).context().k(), x, n);
                values[l] = s.apply(decoder.get(l).context().v(), x, n);
            }
            return new Encoded(n, keys, values);
        }
    }

    /** The decoder's state for one hypothesis: its position and each layer's SSRU cell. */
    public static final class State {
        final float[][] cells;
        int position;

        State(int layers, int dim) {
            cells = new float[layers][dim];
        }

        State(State other) {
            cells = new float[other.cells.length][];
            for (int l = 0; l < cells.length; l++) {
                cells[l] = other.cells[l].clone();
            }
            position = other.position;
        }

        public State copy() {
            return new State(this);
        }

        public int position() {
            return position;
        }
    }

    public State start() {
        return new State(decoder.size(), config.dim());
    }

    /**
     * One decoder step for a batch of hypotheses, each attending to its own sentence: the
     * previous token of each ({@code -1} at the first step), their states (advanced in place),
     * and the output layer restricted to {@code candidates} (a shortlist; all rows share it).
     *
     * @return {@code rows x candidates.rowCount()} logits
     */
    public float[] step(int[] previous, State[] states, Encoded[] sources, OutputCandidates candidates) {
        int m = previous.length;
        int d = config.dim();
        float[] x = new float[m * d];
        for (int r = 0; r < m; r++) {
            if (previous[r] >= 0) {
                embeddings.row(previous[r], x, r * d);
                for (int j = 0; j < d; j++) {
                    x[r * d + j] *= embeddingScale;
                }
            }
            addPosition(x, r * d, states[r].position, d);
        }
        try (Scratch s = new Scratch(m)) {
            for (int l = 0; l < decoder.size(); l++) {
                DecoderLayer layer = decoder.get(l);
                // SSRU: f = σ(x Wf + bf); c = f·c + (1 − f)·(x W); out = ReLU(c).
                float[] xw = s.apply(layer.rnnW(), x, m);
                float[] gate = s.apply(layer.rnnWf(), x, m);
                float[] out = new float[m * d];
                for (int r = 0; r < m; r++) {
                    float[] c = states[r].cells[l];
                    for (int j = 0; j < d; j++) {
                        float f = (float) (1.0 / (1.0 + Math.exp(-gate[r * d + j])));
                        c[j] = f * c[j] + (1f - f) * xw[r * d + j];
                        out[r * d + j] = Math.max(0f, c[j]);
                    }
                }
                addNorm(x, out, layer.rnnNorm(), m);
                // Cross-attention: each row over its own sentence's keys and values.
                float[] q = s.apply(layer.context().q(), x, m);
                float[] ctx = new float[m * d];
                for (int r = 0; r < m; r++) {
                    float[] row = attend(java.util.Arrays.copyOfRange(q, r * d, (r + 1) * d), 1,
                            sources[r].keys()[l], sources[r].values()[l], sources[r].length());
                    System.arraycopy(row, 0, ctx, r * d, d);
                }
                float[] o = s.apply(layer.context().o(), ctx, m);
                addNorm(x, o, layer.context().norm(), m);
                feedForward(layer.ffn(), x, m, s);
            }
            for (State st : states) {
                st.position++;
            }
            int k = candidates.ids().length;
            try (DeviceArray in = acc.upload(x); DeviceArray logits = acc.allocate(m * k)) {
                acc.matmul(in, candidates.weights(), candidates.bias(), logits, m);
                return acc.read(logits);
            }
        }
    }

    /** The output layer restricted to some target ids: their rows of the tied embeddings, and their biases. */
    public record OutputCandidates(int[] ids, DeviceWeights weights, DeviceArray bias) implements AutoCloseable {
        @Override
        public void close() {
            weights.close();
            bias.close();
        }
    }

    /** Uploads the output rows of {@code ids} (sorted target ids, a shortlist or every id). */
    public OutputCandidates candidates(int[] ids) {
        int d = config.dim();
        byte[] rows = new byte[ids.length * d];
        float[] scales = new float[ids.length];
        float[] bias = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(embeddings.values(), ids[i] * d, rows, i * d, d);
            scales[i] = 1f / embeddings.multiplier();
            bias[i] = outputBias[ids[i]];
        }
        return new OutputCandidates(ids, acc.upload(new Int8Weights(ids.length, d, rows, scales)), acc.upload(bias));
    }

    // ---- pieces ----

    private void feedForward(FeedForward ffn, float[] x, int m, Scratch s) {
        float[] h = s.apply(ffn.w1(), x, m);
        for (int i = 0; i < h.length; i++) {
            float v = h[i];
            h[i] = config.ffnRelu() ? Math.max(0f, v) : (float) (v / (1.0 + Math.exp(-v)));
        }
        float[] y = s.apply(ffn.w2(), h, m);
        addNorm(x, y, ffn.norm(), m);
    }

    /** Post-norm residual: {@code x = LayerNorm(x + y)}, with the reference layer-norm kernel. */
    private void addNorm(float[] x, float[] y, Norm norm, int m) {
        int n = m * config.dim();
        for (int i = 0; i < n; i++) {
            x[i] += y[i];
        }
        NormKernels.layerNorm(x, norm.scale(), norm.bias(), x, m, config.dim(), LN_EPS);
    }

    /** Multi-head attention of {@code tq} queries over all {@code tk} keys, with the reference kernel. */
    private float[] attend(float[] q, int tq, float[] k, float[] v, int tk) {
        float[] out = new float[tq * config.dim()];
        AttentionKernels.attention(q, k, v, out, new float[config.heads() * tq * tk], config.heads(), config.headDim(),
                tq, tk, 0, 0);
        return out;
    }

    /** Marian's sinusoidal position {@code p}, added to {@code x[offset .. offset + d)}. */
    static void addPosition(float[] x, int offset, int p, int d) {
        int half = d / 2;
        double increment = Math.log(10000.0) / (half - 1);
        for (int i = 0; i < half; i++) {
            double v = p * Math.exp(-i * increment);
            x[offset + i] += (float) Math.sin(v);
            x[offset + half + i] += (float) Math.cos(v);
        }
    }

    /** Device buffers for one forward pass of {@code m} rows, sized for the widest layer. */
    private final class Scratch implements AutoCloseable {
        private final DeviceArray in;
        private final DeviceArray out;

        Scratch(int m) {
            int widest = Math.max(config.dim(), config.ffnDim());
            in = acc.allocate(m * widest);
            out = acc.allocate(m * widest);
        }

        float[] apply(QuantizedLinear layer, float[] x, int m) {
            layer.apply(x, m, in, out);
            float[] y = new float[m * layer.out];
            acc.read(out, 0, y, 0, y.length);
            return y;
        }

        @Override
        public void close() {
            in.close();
            out.close();
        }
    }

    @Override
    public void close() {
        for (EncoderLayer l : encoder) {
            l.self().close();
            l.ffn().close();
        }
        for (DecoderLayer l : decoder) {
            l.rnnW().close();
            l.rnnWf().close();
            l.context().close();
            l.ffn().close();
        }
    }
}
