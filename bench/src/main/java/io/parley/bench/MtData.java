package io.parley.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared MT evaluation sets, {@code mt/<src>-<tgt>/src.txt} and {@code ref.txt} aligned line
 * by line, found as {@code io.parley.speech.eval.EvaluationSet} finds its data: the
 * {@code parley.testdata} system property, {@code PARLEY_TESTDATA}, or {@code ../shared/testdata}
 * beside the repository. (translate-engine's {@code MtTestData} does the same for its tests; main
 * code cannot use test classes.)
 */
final class MtData {

    /** One pair's sentences and their human translations. */
    record Corpus(String source, String target, Path src, List<String> sources, List<String> references) {
        String name() {
            return source + "-" + target;
        }
    }

    private MtData() {
    }

    static Path root() {
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
                + " (set PARLEY_TESTDATA to the folder holding mt/<src>-<tgt>/src.txt and ref.txt)");
    }

    /** Every pair folder holding both files, sorted by name. */
    static List<Corpus> corpora() {
        Path root = root();
        try (Stream<Path> dirs = Files.list(root)) {
            List<Corpus> out = new ArrayList<>();
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                String name = d.getFileName().toString();
                int dash = name.indexOf('-');
                if (dash < 0 || !Files.isRegularFile(d.resolve("src.txt")) || !Files.isRegularFile(d.resolve("ref.txt"))) {
                    continue;
                }
                List<String> src = lines(d.resolve("src.txt"));
                List<String> ref = lines(d.resolve("ref.txt"));
                if (src.size() != ref.size()) {
                    throw new IllegalStateException(d + ": " + src.size() + " source lines but " + ref.size()
                            + " reference lines");
                }
                out.add(new Corpus(name.substring(0, dash), name.substring(dash + 1), d.resolve("src.txt"), src, ref));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of a file as sacreBLEU's fixture script reads them: UTF-8, split on "\n" only
     * (not on "\r" as readAllLines would), a final empty line dropped.
     */
    static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return Arrays.asList(text.split("\n", -1));
    }
}
