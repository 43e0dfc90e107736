package io.parley.translate.apertium;

import io.parley.translate.api.LanguageCodes;
import io.parley.translate.api.LanguagePair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The translation directions that the installed Apertium language pairs provide, found from
 * their mode files ({@code eng-spa.mode}, {@code es-pt.mode}). Regional variants
 * ({@code spa-eng_US}) and the pairs' debugging modes are left out.
 */
final class ApertiumModes {

    private static final Pattern MODE = Pattern.compile("([a-z]{2,3})-([a-z]{2,3})\\.mode");

    private ApertiumModes() {
    }

    /** Every installed direction and the mode file that runs it. */
    static Map<LanguagePair, Path> discover(Path modesDir) {
        Map<LanguagePair, Path> found = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        if (!Files.isDirectory(modesDir)) {
            return found;
        }
        try (Stream<Path> files = Files.list(modesDir)) {
            files.forEach(file -> parse(file).ifPresent(pair -> found.putIfAbsent(pair, file)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list Apertium modes in " + modesDir + ": " + e.getMessage(), e);
        }
        return found;
    }

    static Optional<LanguagePair> parse(Path modeFile) {
        Matcher m = MODE.matcher(modeFile.getFileName().toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<String> source = LanguageCodes.canonical(m.group(1));
        Optional<String> target = LanguageCodes.canonical(m.group(2));
        if (source.isEmpty() || target.isEmpty() || source.get().equals(target.get())) {
            return Optional.empty();
        }
        return Optional.of(new LanguagePair(source.get(), target.get()));
    }
}
