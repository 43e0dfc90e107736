package io.parley.bench;

import io.parley.speech.eval.EvaluationSet;

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
 * by line, in the shared test data folder that {@link EvaluationSet#findTestdata} finds.
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
        return EvaluationSet.findTestdata("mt").resolve("mt");
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
     * The sets as one multi-way parallel corpus: FLORES translates the same English sentences into
     * every language, so every folder's English side is the same and each language's lines align
     * with every other's. Language code to its lines; fails if two folders disagree about a
     * language's sentences.
     */
    static java.util.Map<String, List<String>> multiway() {
        java.util.Map<String, List<String>> byLanguage = new java.util.TreeMap<>();
        for (Corpus c : corpora()) {
            for (var side : List.of(java.util.Map.entry(c.source(), c.sources()), java.util.Map.entry(c.target(), c.references()))) {
                List<String> known = byLanguage.putIfAbsent(side.getKey(), side.getValue());
                if (known != null && !known.equals(side.getValue())) {
                    throw new IllegalStateException("the " + side.getKey() + " sentences of " + c.name()
                            + " differ from another folder's: the sets are not multi-way parallel");
                }
            }
        }
        return byLanguage;
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
