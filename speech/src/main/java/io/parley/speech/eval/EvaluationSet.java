package io.parley.speech.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared evaluation data: speech clips with reference transcripts
 * ({@code audio/references.tsv}) and aligned sentence sets ({@code mt/<src>-<tgt>/}).
 * Found through the {@code parley.testdata} system property, the {@code PARLEY_TESTDATA}
 * environment variable, or {@code ../shared/testdata} beside the repository.
 */
public final class EvaluationSet {

    /** A clip and what was said in it. */
    public record Clip(Path wav, String reference) {
        public String name() {
            return wav.getFileName().toString();
        }

        /** LibriVox and Vosk clips are human speech; the espeak-ng ones are synthetic. */
        public boolean synthetic() {
            return name().startsWith("synthetic_");
        }
    }

    private final Path root;

    private EvaluationSet(Path root) {
        this.root = root;
    }

    public static EvaluationSet locate() {
        return new EvaluationSet(findTestdata("audio/references.tsv"));
    }

    /**
     * The shared test data folder that holds {@code required} (a file or folder inside it, e.g.
     * {@code mt}): the {@code parley.testdata} property, {@code PARLEY_TESTDATA}, or
     * {@code ../shared/testdata} beside the repository or one of its modules.
     */
    public static Path findTestdata(String required) {
        String configured = System.getProperty("parley.testdata", System.getenv("PARLEY_TESTDATA"));
        List<Path> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int up = 0; up < 4 && dir != null; up++, dir = dir.getParent()) {
            candidates.add(dir.resolve("../shared/testdata"));
        }
        for (Path c : candidates) {
            if (Files.exists(c.resolve(required))) {
                return c.normalize();
            }
        }
        throw new IllegalStateException("evaluation data not found; looked in " + candidates
                + " (set PARLEY_TESTDATA to the folder holding " + required + ")");
    }

    public Path root() {
        return root;
    }

    public List<Clip> clips() {
        Path audio = root.resolve("audio");
        try {
            List<String> lines = Files.readAllLines(audio.resolve("references.tsv"), StandardCharsets.UTF_8);
            List<Clip> clips = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                clips.add(new Clip(audio.resolve(line.substring(0, tab)), line.substring(tab + 1)));
            }
            return clips;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Clip clip(String fileName) {
        return clips().stream().filter(c -> c.name().equals(fileName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no clip " + fileName + " in " + root));
    }
}
