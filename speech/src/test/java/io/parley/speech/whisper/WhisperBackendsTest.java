package io.parley.speech.whisper;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.model.WhisperConfig;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.text.WhisperTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same model on every backend and precision against CTranslate2's f32 reference on the
 * fixture clip: the greedy token ids must be identical, and the encoder output close. The
 * encoder's tolerance is its root-mean-square difference relative to the reference's own RMS
 * (about 1.5). The published weights are f16, so f32 and f16 compute with the same weights and
 * differ from CTranslate2 only in the order of their sums: 1e-4 (measured 5e-6 on both
 * backends). Int8 with per-row scales rounds every weight: 6% (measured 3.0%, the rounding
 * carried through six layers). Whether that matters is what the token ids show.
 *
 * <p>Tagged {@code opencl}: it runs in a JVM of its own (see the root pom), on one OpenCL
 * accelerator for the whole class, as the gateway holds one for its whole life.
 */
@Tag("opencl")
class WhisperBackendsTest {

    static ReferenceFixture fixture;
    static Path dir;
    static float[] audioWindow;
    static Accelerator opencl;

    @BeforeAll
    static void load() throws Exception {
        fixture = ReferenceFixture.load("whisper-base-0870");
        dir = ModelLocator.whisper("base");
        audioWindow = WhisperModelTest.window(fixture);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"jvm, F16, 1e-4", "jvm, INT8, 0.06", "opencl, F32, 1e-4", "opencl, F16, 1e-4", "opencl, INT8, 0.06"})
    void sameTokenIdsAsCTranslate2(String backend, Precision precision, double relativeRms) throws Exception {
        Accelerator acc = backend.equals("jvm") ? new JvmAccelerator() : openCl();
        try (WhisperModel model = WhisperModel.load(dir.resolve("model.bin"), acc, precision)) {
            float[] mel = WhisperModelTest.logMel(acc, audioWindow);
            WindowDecoder decoder = new WindowDecoder(model, WhisperTokenizer.load(dir.resolve("tokenizer.json")),
                    WhisperConfig.load(dir.resolve("config.json")));
            try (WhisperModel.Encoded enc = model.encode(mel, 3000)) {
                float[] expected = fixture.slice("encoder");
                float[] got = fixture.encoderSample(enc.output());
                double diff = 0;
                double ref = 0;
                for (int i = 0; i < got.length; i++) {
                    diff += (got[i] - expected[i]) * (double) (got[i] - expected[i]);
                    ref += expected[i] * (double) expected[i];
                }
                double relative = Math.sqrt(diff / ref);
                System.out.printf("%s %s encoder: relative RMS difference %.2e%n", backend, precision, relative);
                assertTrue(relative <= relativeRms, backend + " " + precision + " encoder differs by " + relative);
                DecodingOptions greedy = DecodingOptions.defaults().withLanguage("en").withTemperatures(List.of(0.0));
                DecodingResult result = decoder.decode(enc, greedy, new Random(0));
                assertEquals(Arrays.toString(fixture.ids("greedyTimestamps", "ids")), Arrays.toString(result.tokens()),
                        backend + " " + precision + " greedy token ids");
            }
        } finally {
            if (acc != opencl) {
                acc.close();
            }
        }
    }

    private static synchronized Accelerator openCl() {
        if (opencl == null) {
            opencl = AcceleratorFactory.create(new AcceleratorConfig("opencl", 0, ""));
        }
        return opencl;
    }
}
