package io.parley.kernels.signal;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.Backends;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.MelSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Whisper's log-mel front end on every backend, against values computed independently: a tone
 * mixture run through faster-whisper's NumPy feature extractor (tools/fixtures/logmel_tone.py).
 * Tolerance 2e-4 on the scaled features ({@code (log10 + 4) / 4}): f32 FFTs and filters in another
 * order than NumPy's f64-then-f32; a wrong window, padding, filter or scaling is off by 1e-2 or
 * more.
 */
class LogMelTest {

    static Iterable<String> backends() {
        return Backends.names();
    }

    static float[] fixture() throws IOException {
        try (InputStream in = LogMelTest.class.getResourceAsStream("/fixtures/logmel_tone.f32")) {
            assertNotNull(in, "fixture missing: run tools/python-env.sh run tools/fixtures/logmel_tone.py");
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[b.remaining() / 4];
            b.asFloatBuffer().get(f);
            return f;
        }
    }

    @org.junit.jupiter.api.Test
    void theReferenceKernelsMatchFasterWhispersFeatureExtractor() throws IOException {
        float[] all = fixture();
        int samples = 8000;
        int frames = FftKernels.frameCount(samples, 160);
        float[] signal = java.util.Arrays.copyOfRange(all, 0, samples);
        int offset = samples;
        for (int mels : new int[]{80, 128}) {
            MelSpec spec = MelSpec.whisper(mels);
            FftPlan plan = spec.plan();
            int bins = spec.bins();
            float[] power = new float[frames * bins];
            FftKernels.stftPower(signal, samples, spec.hop(), frames, FftKernels.hannWindow(spec.nFft()), plan.ints(),
                    plan.twiddles(), new float[frames * spec.nFft()], new float[frames * spec.nFft()],
                    new float[frames * 2 * plan.maxRadix()], power);
            float[] out = new float[frames * mels];
            MelKernels.logMel(power, spec.filters(), out, frames, bins, mels);
            float[] max = {Float.NEGATIVE_INFINITY};
            MelKernels.max(out, out.length, max);
            MelKernels.clampAndScale(out, out.length, max[0]);
            for (int i = 0; i < out.length; i++) {
                if (!(Math.abs(out[i] - all[offset + i]) <= 2e-4)) {
                    fail(String.format("reference %d mels: frame %d bin %d = %g, faster-whisper %g",
                            mels, i / mels, i % mels, out[i], all[offset + i]));
                }
            }
            offset += frames * mels;
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matchesFasterWhispersFeatureExtractor(String backend) throws IOException {
        float[] all = fixture();
        int samples = 8000;
        int frames = samples / 160;
        float[] signal = java.util.Arrays.copyOfRange(all, 0, samples);
        Accelerator acc = Backends.get(backend);
        int offset = samples;
        for (int mels : new int[]{80, 128}) {
            DeviceArray out = acc.allocate(frames * mels);
            acc.logMel(acc.upload(signal), samples, MelSpec.whisper(mels), out);
            float[] got = acc.read(out);
            for (int i = 0; i < frames * mels; i++) {
                float expected = all[offset + i];
                if (!(Math.abs(got[i] - expected) <= 2e-4)) {
                    fail(String.format("%s %d mels: frame %d bin %d = %g, faster-whisper %g",
                            backend, mels, i / mels, i % mels, got[i], expected));
                }
            }
            offset += frames * mels;
        }
    }
}
