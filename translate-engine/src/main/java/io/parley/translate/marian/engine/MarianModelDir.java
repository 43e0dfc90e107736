package io.parley.translate.marian.engine;

import io.parley.translate.api.LanguageCodes;
import io.parley.translate.api.LanguagePair;
import io.parley.translate.marian.model.MarianModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder holding one Marian translation model as Bergamot packages them: the model
 * ({@code model.*.bin}), its SentencePiece vocabulary ({@code vocab.*.spm}), its lexical
 * shortlist ({@code lex.*.s2t.bin}), and the decoder's settings ({@code config*.yml}), with
 * the language pair named by {@code model_info.json} or by the files' {@code <src><tgt>} tag.
 *
 * @param pair            the direction it translates
 * @param model           the model file
 * @param vocabulary      the (shared) SentencePiece model
 * @param shortlist       the lexical shortlist, if the folder has one
 * @param beamSize        the beam its configuration asks for (1: greedy)
 * @param maxLengthFactor output tokens allowed per source token
 */
public record MarianModelDir(Path dir, LanguagePair pair, Path model, Path vocabulary, Optional<Path> shortlist,
                             int beamSize, float maxLengthFactor) {

    private static final Pattern TAG = Pattern.compile("(?:model|vocab|lex\\.\\d+\\.\\d+)\\.([a-z]{2,3})([a-z]{2,3})\\.");
    private static final Pattern NAME = Pattern.compile("\"(src|trg)\"\\s*:\\s*\"([^\"]+)\"");

    /**
     * The folder of {@code nameOrDir}: a folder path as it is, or the name of a model in
     * Parley's cache ({@code $PARLEY_MODELS}, by default {@code ~/.cache/parley/models}), where
     * {@code tools/models.sh ensure NAME} puts it.
     */
    public static Path locate(String nameOrDir) {
        Path asPath = Path.of(nameOrDir);
        if (Files.isDirectory(asPath)) {
            return asPath;
        }
        String configured = System.getProperty("parley.models", System.getenv("PARLEY_MODELS"));
        Path cache = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "parley", "models");
        Path cached = cache.resolve(nameOrDir);
        if (Files.isRegularFile(cached.resolve(".complete"))) {
            return cached;
        }
        throw new MarianModelException("no translation model '" + nameOrDir + "': not a folder, and not installed in "
                + cache + " (tools/models.sh ensure " + nameOrDir + " installs the known ones: mt-enpt, mt-pten)");
    }

    /** Reads and checks a model folder; the message says what is missing. */
    public static MarianModelDir open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new MarianModelException("--mt-model " + dir + ": no such folder");
        }
        Path model = single(dir, "model.*.bin", "the model (model.*.bin)");
        Path vocab = single(dir, "vocab.*.spm", "the SentencePiece vocabulary (vocab.*.spm)");
        Optional<Path> lex = first(dir, "lex.*.s2t.bin");
        Optional<Path> config = first(dir, "config*.yml");
        int beam = 1;
        float factor = 2.5f;
        if (config.isPresent()) {
            for (String line : Files.readAllLines(config.get())) {
                String t = line.strip();
                if (t.startsWith("beam-size:")) {
                    beam = Integer.parseInt(t.substring(10).strip());
                } else if (t.startsWith("max-length-factor:")) {
                    factor = Float.parseFloat(t.substring(18).strip());
                }
            }
        }
        return new MarianModelDir(dir, pairOf(dir, model), model, vocab, lex, beam, factor);
    }

    private static LanguagePair pairOf(Path dir, Path model) throws IOException {
        Path info = dir.resolve("model_info.json");
        if (Files.isRegularFile(info)) {
            String json = Files.readString(info);
            String src = null;
            String trg = null;
            Matcher m = NAME.matcher(json);
            while (m.find()) {
                if (m.group(1).equals("src")) {
                    src = codeOf(m.group(2));
                } else {
                    trg = codeOf(m.group(2));
                }
            }
            if (src != null && trg != null) {
                return LanguagePair.of(src, trg);
            }
        }
        Matcher tag = TAG.matcher(model.getFileName().toString());
        if (tag.find()) {
            Optional<String> s = LanguageCodes.canonical(tag.group(1));
            Optional<String> t = LanguageCodes.canonical(tag.group(2));
            if (s.isPresent() && t.isPresent()) {
                return LanguagePair.of(s.get(), t.get());
            }
        }
        throw new MarianModelException(dir + ": cannot tell which languages this model translates (no model_info.json"
                + " with src/trg, and the model file is not named model.<src><tgt>.*.bin)");
    }

    /** An ISO code for an English language name ("Portuguese" → pt), or the name if it is a code. */
    static String codeOf(String name) {
        Optional<String> asCode = LanguageCodes.canonical(name);
        if (asCode.isPresent()) {
            return asCode.get();
        }
        for (String code : Locale.getISOLanguages()) {
            if (Locale.of(code).getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(name.strip())) {
                return code;
            }
        }
        return null;
    }

    private static Path single(Path dir, String glob, String what) throws IOException {
        List<Path> found = list(dir, glob);
        if (found.isEmpty()) {
            throw new MarianModelException(dir + " has no " + what);
        }
        if (found.size() > 1) {
            throw new MarianModelException(dir + " has several files for " + what + ": " + found
                    + "; one model per folder");
        }
        return found.getFirst();
    }

    private static Optional<Path> first(Path dir, String glob) throws IOException {
        return list(dir, glob).stream().findFirst();
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        var matcher = dir.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        }
    }

    /** Shown at start: where the model is and what it does. */
    public String describe() {
        return pair.source() + " -> " + pair.target() + " (" + dir.getFileName() + ", "
                + (beamSize == 1 ? "greedy" : "beam " + beamSize) + (shortlist.isPresent() ? ", shortlist" : "") + ")";
    }
}
