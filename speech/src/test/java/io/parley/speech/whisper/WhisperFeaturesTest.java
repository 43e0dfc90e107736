package io.parley.speech.whisper;

import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.MelSpec;
import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.whisper.model.Precision;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The streaming front end computes only the audio's frames and copies the value of silence
 * into the rest; it must give exactly what Whisper's definition gives: the log-mel of the audio
 * followed by 30 s of zeros.
 */
class WhisperFeaturesTest {

    @Test
    void shortcutFeaturesEqualThoseOfTheZeroPaddedWindow() throws Exception {
        try (JvmAccelerator acc = new JvmAccelerator();
             WhisperEngine engine = WhisperEngine.load(ModelLocator.whisper("tiny.en"), acc, Precision.INT8)) {
            float[] clip = WavFile.read(EvaluationSet.locate().clip(
                    "librivox_sense_and_sensibility_01_austen_64kb-0880.wav").wav()).monoSamples();
            for (int length : new int[]{clip.length, 16_000, 16_161, 799, 0}) {
                float[] audio = Arrays.copyOf(clip, length);
                float[] padded = Arrays.copyOf(audio, length + WhisperEngine.WINDOW_SAMPLES);
                float[] expected;
                try (DeviceArray in = acc.upload(padded);
                     DeviceArray out = acc.allocate(padded.length / WhisperEngine.HOP * 80)) {
                    acc.logMel(in, padded.length, MelSpec.whisper(80), out);
                    expected = acc.read(out);
                }
                for (int frames : new int[]{3000, 300, 100}) {
                    float[] got = engine.features(audio, frames);
                    int compared = Math.min(got.length, expected.length) / 80;
                    compared = Math.min(compared, Math.max(frames, length / WhisperEngine.HOP));
                    for (int i = 0; i < compared * 80; i++) {
                        assertEquals(expected[i], got[i], 1e-6, "length " + length + ", frames " + frames
                                + ": frame " + i / 80 + ", bin " + i % 80);
                    }
                }
            }
        }
    }
}
