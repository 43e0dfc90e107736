package io.parley.speech.whisper.vad;

import java.nio.file.Path;

/** The child JVM of {@link OnnxRuntimeNativesTest}: the VAD on a chunk of silence, with ONNX Runtime's libraries kept in {@code args[0]}. */
public final class OnnxRuntimeNativesProbe {

    public static void main(String[] args) {
        OnnxRuntimeNatives.prepare(Path.of(args[0]));
        try (SileroVad vad = SileroVad.load(Path.of(args[1]))) {
            System.out.println("probability " + vad.newStream().probability(new float[SileroVad.CHUNK], 0));
        }
    }
}
