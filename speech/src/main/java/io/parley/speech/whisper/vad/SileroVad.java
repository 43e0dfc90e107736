package io.parley.speech.whisper.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.parley.speech.whisper.ModelLocator;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * Silero VAD (the ONNX model of the {@code silero-vad} package) through ONNX Runtime: the
 * probability that a 32 ms chunk of 16 kHz audio is speech. The model is loaded once and shared;
 * each stream keeps its own recurrent state in a {@link Stream}.
 */
public final class SileroVad implements AutoCloseable {

    /** Samples per chunk at 16 kHz. */
    public static final int CHUNK = 512;
    /** Samples of the previous chunk the model sees before each new one. */
    static final int CONTEXT = 64;
    private static final int STATE = 2 * 128;

    private final OrtEnvironment env;
    private final OrtSession session;

    private SileroVad(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    public static SileroVad load(Path onnx) {
        OnnxRuntimeNatives.prepare(ModelLocator.cache());
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            // One thread per call: many streams call it concurrently, each with tiny chunks.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return new SileroVad(env, env.createSession(onnx.toString(), options));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load Silero VAD from " + onnx + ": " + e.getMessage(), e);
        }
    }

    /** One audio stream's view of the model: its recurrent state and the tail of its last chunk. */
    public final class Stream {
        private float[] state = new float[STATE];
        private final float[] input = new float[CONTEXT + CHUNK];

        /** Speech probability of the next {@link #CHUNK} samples of {@code audio} from {@code offset}. */
        public float probability(float[] audio, int offset) {
            System.arraycopy(audio, offset, input, CONTEXT, CHUNK);
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{1, CONTEXT + CHUNK});
                 OnnxTensor s = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), new long[]{2, 1, 128});
                 OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{16000}), new long[0]);
                 OrtSession.Result out = session.run(Map.of("input", x, "state", s, "sr", sr))) {
                float p = ((float[][]) out.get(0).getValue())[0][0];
                float[][][] next = (float[][][]) out.get(1).getValue();
                float[] flat = new float[STATE];
                System.arraycopy(next[0][0], 0, flat, 0, 128);
                System.arraycopy(next[1][0], 0, flat, 128, 128);
                state = flat;
                System.arraycopy(input, CHUNK, input, 0, CONTEXT); // the chunk's tail is the next context
                return p;
            } catch (OrtException e) {
                throw new IllegalStateException("Silero VAD failed: " + e.getMessage(), e);
            }
        }

        public void reset() {
            state = new float[STATE];
            java.util.Arrays.fill(input, 0f);
        }
    }

    public Stream newStream() {
        return new Stream();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the process releases it anyway
        }
    }
}
