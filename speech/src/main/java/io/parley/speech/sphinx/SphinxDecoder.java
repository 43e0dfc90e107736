package io.parley.speech.sphinx;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One loaded Sphinx4 decoder: the acoustic model, dictionary, language model and search,
 * which together hold the state of one stream. Loading takes seconds, so decoders are
 * pooled by {@link SphinxRecognizer} and reused from one stream to the next.
 */
final class SphinxDecoder {

    private static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/";

    private final Context context;
    private final Recognizer recognizer;
    private volatile Consumer<Result> partialSink = r -> { };

    private SphinxDecoder(Context context) {
        this.context = context;
        this.recognizer = context.getInstance(Recognizer.class);
        recognizer.addResultListener(new ResultListener() {
            @Override
            public void newResult(Result result) {
                if (!result.isFinal()) {
                    partialSink.accept(result);
                }
            }

            @Override
            public void newProperties(PropertySheet ps) {
                // configured in code, not by Sphinx4's property system
            }
        });
        recognizer.allocate();
    }

    static SphinxDecoder load(SphinxConfig config) {
        Path xml = null;
        try {
            xml = Files.createTempFile("parley-sphinx4-", ".xml");
            Files.writeString(xml, renderConfig(config), StandardCharsets.UTF_8);
            Configuration models = new Configuration();
            models.setAcousticModelPath(MODEL + "en-us");
            models.setDictionaryPath(MODEL + "cmudict-en-us.dict");
            models.setLanguageModelPath(MODEL + "en-us.lm.bin");
            models.setSampleRate(16000);
            return new SphinxDecoder(new Context(xml.toUri().toURL().toString(), models));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the Sphinx4 model", e);
        } finally {
            if (xml != null) {
                try {
                    Files.deleteIfExists(xml);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }

    private static String renderConfig(SphinxConfig config) throws IOException {
        String template;
        try (InputStream in = SphinxDecoder.class.getResourceAsStream("sphinx4.config.xml")) {
            if (in == null) {
                throw new IOException("sphinx4.config.xml missing from the classpath");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int frameMs = 10;
        Map<String, String> values = Map.of(
                "cmnInit", initialCepstralMean(),
                "absoluteBeamWidth", Integer.toString(config.absoluteBeamWidth()),
                "relativeBeamWidth", String.format(Locale.ROOT, "%.3e", config.relativeBeamWidth()),
                "absoluteWordBeamWidth", Integer.toString(config.absoluteWordBeamWidth()),
                "relativeWordBeamWidth", String.format(Locale.ROOT, "%.3e", config.relativeWordBeamWidth()),
                "languageWeight", Double.toString(config.languageWeight()),
                "endSilenceMs", Integer.toString(config.endSilenceMs()),
                "partialFrames", Integer.toString(Math.max(1, config.partialIntervalMs() / frameMs)));
        for (Map.Entry<String, String> v : values.entrySet()) {
            template = template.replace("${" + v.getKey() + "}", v.getValue());
        }
        return template;
    }

    /** The acoustic model's own starting point for cepstral mean normalisation, from its feat.params. */
    private static String initialCepstralMean() throws IOException {
        try (InputStream in = SphinxDecoder.class.getResourceAsStream("/edu/cmu/sphinx/models/en-us/en-us/feat.params")) {
            if (in == null) {
                throw new IOException("the en-us model's feat.params is missing from the classpath (sphinx4-data)");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (line.startsWith("-cmninit ")) {
                    return line.substring("-cmninit ".length()).strip();
                }
            }
        }
        throw new IOException("the en-us model's feat.params has no -cmninit");
    }

    /** Points the front end at a new stream; the previous one must have ended. */
    void attach(InputStream pcm, Consumer<Result> partials) {
        this.partialSink = partials;
        context.getInstance(StreamDataSource.class).setInputStream(pcm);
    }

    void detach() {
        this.partialSink = r -> { };
    }

    /** Decodes the next utterance; blocks for audio; null at the end of the stream. */
    Result nextUtterance() {
        return recognizer.recognize();
    }
}
