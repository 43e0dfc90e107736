package io.parley.speech.eval;

import io.parley.speech.audio.StreamingResampler;
import io.parley.speech.audio.WavFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Speech made by espeak-ng (Debian {@code espeak-ng}, installed for tests and benchmarks) in
 * languages the evaluation set has no recordings of: synthetic, but audio the recognizer has not
 * seen. For tests and benchmarks only.
 */
public final class SyntheticSpeech {

    public static final int RATE = 16_000;

    private SyntheticSpeech() {
    }

    /** {@code text} spoken by espeak-ng's {@code voice}, as 16 kHz samples; fails if the voice is missing. */
    public static float[] speak(String voice, String text) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("parley-espeak-", ".wav");
        try {
            Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-w", wav.toString(), text)
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IOException("espeak-ng could not speak with the voice " + voice + ": " + said.strip());
            }
            WavFile w = WavFile.read(wav);
            float[] samples = w.monoSamples();
            return new StreamingResampler(w.sampleRate(), RATE).process(samples, 0, samples.length);
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
