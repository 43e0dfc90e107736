package io.parley.gateway.engines;

import io.parley.gateway.config.GatewayConfig;
import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.sphinx.SphinxRecognizer;
import io.parley.speech.whisper.ModelLocator;
import io.parley.speech.whisper.stream.WhisperRecognizer;
import io.parley.translate.api.Translator;
import io.parley.translate.apertium.ApertiumTranslator;
import io.parley.translate.marian.engine.MarianEngine;
import io.parley.translate.marian.engine.MarianModelDir;
import io.parley.translate.marian.engine.MarianTranslator;
import io.parley.translate.marian.engine.TranslationAccelerator;
import io.parley.translate.routing.RoutePolicy;
import io.parley.translate.routing.RouteScores;
import io.parley.translate.routing.SpeechRoutes;
import io.parley.translate.routing.TranslationRouter;
import io.parley.translate.service.TextTranslator;
import io.parley.translate.service.TranslationCache;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The loaded engines: one speech recognizer shared by every stream, the translators, and the
 * routes between languages. Engines know nothing of the gateway; the gateway reaches them
 * only through their SPIs.
 */
public final class Engines implements AutoCloseable {

    /** Sentences whose translations are kept for reuse, across rooms and directions. */
    static final int TRANSLATION_CACHE_SENTENCES = 8192;

    private final Accelerator accelerator;
    private final SpeechRecognizer recognizer;
    private final List<Translator> translators;
    private final TranslationRouter router;
    private final Set<String> englishFromSpeech;
    private final TextTranslator textTranslator;

    public Engines(Accelerator accelerator, SpeechRecognizer recognizer, List<Translator> translators) {
        this(accelerator, recognizer, translators, RoutePolicy.DEFAULT, RouteScores.bundled());
    }

    public Engines(Accelerator accelerator, SpeechRecognizer recognizer, List<Translator> translators, RoutePolicy routes,
                   RouteScores scores) {
        this.accelerator = accelerator;
        this.recognizer = recognizer;
        this.translators = List.copyOf(translators);
        this.router = new TranslationRouter(this.translators, scores, routes);
        this.englishFromSpeech = speechWins(recognizer, router);
        this.textTranslator = new TextTranslator(router, new TranslationCache(TRANSLATION_CACHE_SENTENCES));
    }

    /** Loads the engines the configuration names, reporting progress as it goes. */
    public static Engines load(GatewayConfig config, Consumer<String> progress) {
        Accelerator accelerator = AcceleratorFactory.create(config.accelerator());
        progress.accept("accelerator: " + accelerator.name() + " (" + accelerator.device() + ")");
        long t0 = System.nanoTime();
        SpeechRecognizer recognizer;
        try {
            recognizer = loadRecognizer(config, accelerator, progress);
        } catch (RuntimeException e) {
            accelerator.close();
            throw e;
        }
        progress.accept(String.format("speech engine %s ready in %.1f s", recognizer.engine(), (System.nanoTime() - t0) / 1e9));
        progress.accept("discovering Apertium pairs in " + config.apertium().modesDir() + " ...");
        ApertiumTranslator apertium = ApertiumTranslator.discover(config.apertium());
        progress.accept("Apertium: " + apertium.pairs().size() + " translation directions");
        List<Translator> translators = new java.util.ArrayList<>();
        loadNeural(config, accelerator, progress).ifPresent(translators::add);
        translators.add(apertium);
        RouteScores scores;
        try {
            scores = config.routes().table().isPresent() ? RouteScores.read(config.routes().table().get()) : RouteScores.bundled();
        } catch (java.io.IOException | IllegalArgumentException e) {
            translators.forEach(Translator::close);
            recognizer.close();
            accelerator.close();
            throw new IllegalStateException("cannot read the route table: " + e.getMessage(), e);
        }
        Engines engines = new Engines(accelerator, recognizer, translators, config.routes().policy(), scores);
        progress.accept("translation routes: " + engines.router().choices().size() + " pairs, chosen by the scores of "
                + engines.router().scores().size() + " measured routes (./parley bench mt)");
        return engines;
    }

    /** The configured Marian models; default ones that are not installed are reported and skipped. */
    private static java.util.Optional<MarianTranslator> loadNeural(GatewayConfig config, Accelerator shared,
                                                                  Consumer<String> progress) {
        List<MarianEngine> models = new java.util.ArrayList<>();
        if (config.neuralMt().models().isEmpty()) {
            return java.util.Optional.empty();
        }
        Accelerator accelerator = TranslationAccelerator.forModels(shared);
        // A backend made for translation alone is the translator's to close; the shared one is not.
        Accelerator own = accelerator == shared ? null : accelerator;
        for (String name : config.neuralMt().models()) {
            try {
                long t = System.nanoTime();
                MarianModelDir dir = MarianModelDir.open(MarianModelDir.locate(name));
                progress.accept("loading neural translation model " + dir.describe() + " ...");
                models.add(MarianEngine.load(dir, accelerator, config.neuralMt().beamSize()));
                progress.accept(String.format("  ready in %.1f s", (System.nanoTime() - t) / 1e9));
            } catch (java.io.IOException | RuntimeException e) {
                if (config.neuralMt().explicit()) {
                    models.forEach(MarianEngine::close);
                    if (own != null) {
                        own.close();
                    }
                    throw new IllegalStateException("cannot load the translation model " + name + ": " + e.getMessage(), e);
                }
                progress.accept("neural model " + name + " not loaded (" + e.getMessage() + ")");
            }
        }
        if (models.isEmpty()) {
            if (own != null) {
                own.close();
            }
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new MarianTranslator(models, own));
    }

    /**
     * The configured speech engine. {@code auto} means Whisper where its weights (and Silero
     * VAD) are installed, else Sphinx4, which needs no download, with a word on how to get
     * Whisper.
     */
    private static SpeechRecognizer loadRecognizer(GatewayConfig config, Accelerator accelerator,
                                                   Consumer<String> progress) {
        String engine = config.asrEngine();
        if (engine.equals("auto")) {
            String missing = whisperMissing(config);
            if (missing == null) {
                engine = "whisper";
            } else {
                progress.accept("Whisper is not available (" + missing + "); using Sphinx4 for English");
                engine = "sphinx";
            }
        }
        if (engine.equals("sphinx")) {
            progress.accept("loading speech engine Sphinx4 ...");
            return new SphinxRecognizer(config.sphinx());
        }
        progress.accept("loading speech engine Whisper " + config.whisper().model() + " ("
                + config.whisper().precision() + ") on " + accelerator.name() + " ...");
        try {
            return WhisperRecognizer.load(config.whisper(), accelerator);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Why Whisper cannot be loaded as configured, or null if it can. */
    private static String whisperMissing(GatewayConfig config) {
        try {
            ModelLocator.whisper(config.whisper().model());
            ModelLocator.sileroVad();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Where the models' kernels run. */
    public Accelerator accelerator() {
        return accelerator;
    }

    public SpeechRecognizer recognizer() {
        return recognizer;
    }

    public List<Translator> translators() {
        return translators;
    }

    public TranslationRouter router() {
        return router;
    }

    /** Sentences, cache and glossaries over the router: what captions and the text API translate with. */
    public TextTranslator textTranslator() {
        return textTranslator;
    }

    /** Languages a viewer may ask for: what is spoken, and what that can be translated into. */
    public Set<String> viewerLanguages() {
        Set<String> langs = new TreeSet<>(recognizer.languages());
        for (String spoken : recognizer.languages()) {
            langs.addAll(router.targetsFrom(spoken));
        }
        return langs;
    }

    /**
     * Spoken languages whose English captions the recognizer makes itself (its translate task),
     * because that measured better than carrying its transcript by the text route to English.
     */
    public java.util.function.Predicate<String> englishFromSpeech() {
        return englishFromSpeech::contains;
    }

    /** The languages of {@link #englishFromSpeech()}, for listing. */
    public Set<String> englishFromSpeechLanguages() {
        return englishFromSpeech;
    }

    private static Set<String> speechWins(SpeechRecognizer recognizer, TranslationRouter router) {
        Set<String> wins = new TreeSet<>();
        if (recognizer.translatesToEnglish()) {
            for (String lang : recognizer.languages()) {
                SpeechRoutes.compare(router, lang).filter(SpeechRoutes.Comparison::whisperWins).ifPresent(c -> wins.add(lang));
            }
        }
        return java.util.Collections.unmodifiableSet(wins);
    }

    /** Pending translation requests summed over engines, for monitoring. */
    public int translationQueueDepth() {
        return translators.stream().mapToInt(Translator::pendingRequests).sum();
    }

    @Override
    public void close() {
        recognizer.close();
        translators.forEach(Translator::close);
        accelerator.close();
    }
}
