package io.parley.translate.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared MT evaluation sets ({@code mt/<src>-<tgt>/src.txt} and {@code ref.txt}, aligned
 * line by line), found as the speech module's EvaluationSet finds its data: the
 * {@code parley.testdata} system property (Maven sets it), {@code PARLEY_TESTDATA}, or
 * {@code ../shared/testdata} beside the repository.
 */
public final class MtTestData {

    private MtTestData() {
    }

    public static Path root() {
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
            if (Files.isDirectory(c.resolve("mt"))) {
                return c.resolve("mt").normalize();
            }
        }
        throw new IllegalStateException("MT evaluation data not found; looked in " + candidates
                + " (set PARLEY_TESTDATA to the folder holding mt/<pair>/ref.txt)");
    }

    /**
     * The lines of a file as the fixture script reads them: UTF-8, split on "\n" only (not on
     * "\r" as readAllLines would), a final empty line dropped.
     */
    public static List<String> lines(String relative) {
        try {
            String text = Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
            if (text.endsWith("\n")) {
                text = text.substring(0, text.length() - 1);
            }
            return Arrays.asList(text.split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
