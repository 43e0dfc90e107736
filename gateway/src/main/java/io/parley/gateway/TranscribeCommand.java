package io.parley.gateway;

import io.parley.gateway.config.CommandLine;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.gateway.files.AudioFileDecoder;
import io.parley.gateway.files.FileCaptions;
import io.parley.gateway.files.FileJobs;
import io.parley.gateway.files.FileTranscriber;
import io.parley.gateway.files.FileTranscript;
import io.parley.gateway.files.MediaRefused;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code parley transcribe FILE [--lang es,pt] [--format vtt|srt|json|txt]}: a recorded meeting
 * to captions, on this machine, through the same decoder, recognizer and translation routes as
 * the gateway. Writes {@code FILE.vtt} in the language spoken and {@code FILE.es.vtt} per
 * {@code --lang}, beside the file or in {@code --out DIR}, with a progress bar on the way.
 */
public final class TranscribeCommand {

    static final String USAGE = """
            usage: parley transcribe FILE [--lang es,pt] [--format vtt|srt|json|txt] [--language en|auto] [--out DIR]
                                     [gateway engine options: --asr, --asr-model, --mt-model, --accelerator, ...]
              FILE           WAV, FLAC, MP3, Ogg (Opus/Vorbis), WebM (Opus) or M4A (AAC)
              --lang L,...   also write captions translated into these languages
              --format F     vtt (default), srt, json (segments, words, translations) or txt
              --language L   the language spoken (default auto: detected)
              --out DIR      where the files go (default: beside FILE)
            """;

    private TranscribeCommand() {
    }

    public static void main(String[] args) {
        try {
            for (Path written : run(args)) {
                System.out.println(written);
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("parley transcribe: " + e.getMessage());
            System.exit(2);
        } catch (MediaRefused e) {
            System.err.println("parley transcribe: " + e.getMessage() + " (" + e.code() + ")");
            System.exit(1);
        } catch (Exception e) {
            System.err.println("parley transcribe: " + e);
            System.exit(1);
        }
    }

    static List<Path> run(String[] args) throws Exception {
        Path file = null;
        List<String> targets = new ArrayList<>();
        String format = "vtt";
        String language = SessionOptions.AUTO;
        Path out = null;
        List<String> engineArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                case "--lang" -> {
                    for (String l : value(args, ++i, a).split(",")) {
                        if (!l.isBlank()) {
                            targets.add(l.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                case "--format" -> format = value(args, ++i, a).toLowerCase(Locale.ROOT);
                case "--language" -> language = value(args, ++i, a).toLowerCase(Locale.ROOT);
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--")) {
                        engineArgs.add(a);
                        if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            engineArgs.add(args[++i]);
                        }
                    } else if (file == null) {
                        file = Path.of(a);
                    } else {
                        throw new IllegalArgumentException("one file at a time (got " + file + " and " + a + ")\n" + USAGE);
                    }
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("which file?\n" + USAGE);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        if (!List.of("vtt", "srt", "json", "txt").contains(format)) {
            throw new IllegalArgumentException("--format takes vtt, srt, json or txt, not '" + format + "'");
        }
        GatewayConfig config = CommandLine.parse(engineArgs.toArray(String[]::new));
        Engines engines = Engines.load(config, line -> System.err.println("  " + line));
        try {
            for (String t : targets) {
                if (engines.router().routes().stream().noneMatch(r -> r.pair().target().equals(t))) {
                    throw new IllegalArgumentException("--lang " + t + ": no installed engine translates into it");
                }
            }
            if (!language.equals(SessionOptions.AUTO) && !engines.recognizer().languages().contains(language)) {
                throw new IllegalArgumentException("--language " + language + ": the recognizer does not know it");
            }
            AudioFileDecoder decoder = AudioFileDecoder.withSystemFfmpeg(config.files());
            FileTranscriber transcriber = new FileTranscriber(engines.recognizer(), engines.textTranslator(), decoder,
                    new FileJobs(1));
            double total = decoder.probe(file).seconds().orElse(-1);
            ProgressBar bar = new ProgressBar(total);
            FileTranscript t = transcriber.transcribe(file, new FileTranscriber.Request(language, SessionOptions.Task.TRANSCRIBE,
                    List.of(), targets), bar::update);
            bar.done(t.seconds());
            Path dir = out != null ? out : file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String stem = file.getFileName().toString().replaceAll("\\.[^.]+$", "");
            List<Path> written = new ArrayList<>();
            String spoken = t.language(language.equals(SessionOptions.AUTO) ? "und" : language);
            written.add(write(dir.resolve(stem + "." + format), render(t, null, format, spoken)));
            for (String target : targets) {
                written.add(write(dir.resolve(stem + "." + target + "." + format), render(t, target, format, spoken)));
            }
            return written;
        } finally {
            engines.close();
        }
    }

    private static String render(FileTranscript t, String lang, String format, String spoken) {
        return switch (format) {
            case "srt" -> FileCaptions.srt(t, lang);
            case "txt" -> (lang == null ? t.text() : String.join(" ", t.translations().get(lang))).strip() + "\n";
            case "json" -> json(t, lang, spoken).encodePrettily() + "\n";
            default -> FileCaptions.vtt(t, lang);
        };
    }

    private static JsonObject json(FileTranscript t, String lang, String spoken) {
        JsonArray segments = new JsonArray();
        for (int i = 0; i < t.finals().size(); i++) {
            Utterance u = t.finals().get(i);
            if (u.text().isBlank()) {
                continue;
            }
            JsonObject s = new JsonObject().put("start", u.start()).put("end", u.end()).put("lang", lang == null ? u.language() : lang)
                    .put("text", lang == null ? u.text().strip() : t.translations().get(lang).get(i));
            if (lang == null) {
                JsonArray words = new JsonArray();
                for (RecognizedWord w : u.words()) {
                    words.add(new JsonObject().put("word", w.word().strip()).put("start", w.start()).put("end", w.end())
                            .put("confidence", w.confidence()));
                }
                s.put("words", words);
            } else {
                s.put("source", u.text().strip());
            }
            segments.add(s);
        }
        return new JsonObject().put("duration", t.seconds()).put("language", lang == null ? spoken : lang)
                .put("format", t.kind().label()).put("segments", segments);
    }

    private static Path write(Path path, String content) throws java.io.IOException {
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Progress on stderr: a bar redrawn in place on a terminal, a line per tenth otherwise (a log). */
    private static final class ProgressBar {
        private final double total;
        private final long start = System.nanoTime();
        private final boolean terminal = System.console() != null;
        private int lastTenth = -1;

        ProgressBar(double total) {
            this.total = total;
        }

        synchronized void update(double seconds) {
            double elapsed = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            String speed = String.format(Locale.ROOT, "%.1fx real time", seconds / elapsed);
            if (total <= 0) {
                System.err.printf(Locale.ROOT, "%s%s transcribed, %s%s", terminal ? "\r" : "", clock(seconds), speed,
                        terminal ? "" : "\n");
                return;
            }
            double f = Math.min(1, seconds / total);
            if (terminal) {
                int filled = (int) Math.round(f * 30);
                System.err.printf(Locale.ROOT, "\r[%s%s] %3.0f%%  %s of %s, %s  ", "#".repeat(filled), "-".repeat(30 - filled),
                        f * 100, clock(seconds), clock(total), speed);
            } else if ((int) (f * 10) > lastTenth) {
                lastTenth = (int) (f * 10);
                System.err.printf(Locale.ROOT, "%3.0f%%  %s of %s, %s%n", f * 100, clock(seconds), clock(total), speed);
            }
        }

        void done(double seconds) {
            update(seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "%sdone: %s of audio in %.1f s (%.1fx real time)%n", terminal ? "\n" : "",
                    clock(seconds), elapsed, seconds / Math.max(1e-3, elapsed));
        }

        private static String clock(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t % 3600 / 60, t % 60)
                    : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
        }
    }
}
