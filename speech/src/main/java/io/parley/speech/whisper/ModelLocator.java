package io.parley.speech.whisper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where Parley's downloaded models live: {@code $PARLEY_MODELS} (or the system property
 * {@code parley.models}), by default {@code ~/.cache/parley/models}, one folder per model,
 * complete once {@code tools/models.sh} has verified it and left a {@code .complete} marker.
 */
public final class ModelLocator {

    /** The Whisper models {@code tools/models.sh} knows how to fetch. */
    public static final List<String> KNOWN = List.of("base", "tiny.en", "small");

    private ModelLocator() {
    }

    public static Path cache() {
        String configured = System.getProperty("parley.models", System.getenv("PARLEY_MODELS"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "parley", "models");
    }

    /**
     * A Whisper model folder: a known name in the cache, or a folder path given as it is.
     *
     * @throws IllegalStateException with what to run when the model is not there
     */
    public static Path whisper(String nameOrDir) {
        Path dir = KNOWN.contains(nameOrDir) ? cache().resolve(nameOrDir) : Path.of(nameOrDir);
        if (KNOWN.contains(nameOrDir) && !Files.exists(dir.resolve(".complete"))) {
            throw new IllegalStateException("the Whisper model '" + nameOrDir + "' is not installed in " + cache()
                    + "; run tools/models.sh ensure " + nameOrDir + " (./parley run and ./parley test do it for you)");
        }
        for (String file : List.of("model.bin", "tokenizer.json", "config.json")) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalStateException(dir + " is not a Whisper model folder: " + file + " is missing");
            }
        }
        return dir;
    }

    /** The Silero VAD model file. */
    public static Path sileroVad() {
        Path file = cache().resolve("silero-vad").resolve("silero_vad.onnx");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("Silero VAD is not installed in " + cache()
                    + "; run tools/models.sh ensure silero-vad");
        }
        return file;
    }

    public static boolean installed(String name) {
        return Files.exists(cache().resolve(name).resolve(".complete"));
    }
}
