package io.parley.bench;

import io.parley.kernels.accel.Accelerator;
import io.parley.speech.eval.SyntheticSpeech;
import io.parley.speech.whisper.ModelLocator;
import io.parley.speech.whisper.WhisperEngine;
import io.parley.speech.whisper.decode.DecodingOptions;
import io.parley.speech.whisper.decode.Task;
import io.parley.speech.whisper.decode.TranscribeOptions;
import io.parley.speech.whisper.model.Precision;
import io.parley.translate.api.Translation;
import io.parley.translate.eval.Bleu;
import io.parley.translate.eval.ChrF;
import io.parley.translate.routing.Route;
import io.parley.translate.routing.RouteScore;
import io.parley.translate.routing.SpeechRoutes;
import io.parley.translate.routing.TranslationRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Speech into English, two ways, on the same speech: Whisper's own translate task, against
 * Whisper's transcript carried by the text route the router chose. The speech is the dev
 * sentences of the multi-way corpus spoken by espeak-ng (synthetic, but speech the model has
 * not seen; the test set has no recordings in these languages), scored against the English
 * sentences. The gateway captions a room's speech in English by whichever scores better.
 */
final class SpeechRouteBench {

    /** Sentences spoken per language: Whisper is the slow part, twice per sentence. */
    static final int SENTENCES = 40;
    /** espeak-ng's voice per language; a language it has no voice for is reported, not measured. */
    static final Map<String, String> VOICES = Map.of("es", "es", "fr", "fr-fr", "ca", "ca", "it", "it",
            "pt", "pt-br", "ro", "ro", "gl", "gl");

    private SpeechRouteBench() {
    }

    static JsonObject run(TranslationRouter router, Accelerator accelerator, List<RouteScore> into) throws Exception {
        Map<String, List<String>> corpus = MtData.multiway();
        List<String> english = corpus.get("en").subList(0, SENTENCES);
        JsonArray rows = new JsonArray();
        JsonArray skipped = new JsonArray();
        try (WhisperEngine whisper = WhisperEngine.load(ModelLocator.whisper("base"), accelerator, Precision.INT8)) {
            for (var lang : new java.util.TreeSet<>(corpus.keySet())) {
                Route route = router.captionRoute(lang, "en").orElse(null);
                if (lang.equals("en") || route == null) {
                    continue;
                }
                List<float[]> speech;
                try {
                    speech = speak(VOICES.getOrDefault(lang, lang), corpus.get(lang).subList(0, SENTENCES));
                } catch (IOException e) {
                    skipped.add(new JsonObject().put("lang", lang).put("why", e.getMessage()));
                    continue;
                }
                BenchOutput.progress("speech " + lang + " -> en: Whisper translate, and transcribe + " + route.signature());
                DecodingOptions base = DecodingOptions.defaults().withLanguage(lang);
                TranscribeOptions translateTask = TranscribeOptions.defaults().withDecoding(base.withTask(Task.TRANSLATE));
                TranscribeOptions transcribeTask = TranscribeOptions.defaults().withDecoding(base.withTask(Task.TRANSCRIBE));
                List<String> direct = new ArrayList<>();
                List<String> transcripts = new ArrayList<>();
                long translateNs = 0;
                long transcribeNs = 0;
                for (float[] audio : speech) {
                    long t0 = System.nanoTime();
                    direct.add(whisper.transcribe(audio, translateTask).text());
                    long t1 = System.nanoTime();
                    transcripts.add(whisper.transcribe(audio, transcribeTask).text());
                    translateNs += t1 - t0;
                    transcribeNs += System.nanoTime() - t1;
                }
                long m0 = System.nanoTime();
                List<String> carried = route.translate(transcripts).get(5, TimeUnit.MINUTES).stream()
                        .map(Translation::text).toList();
                double mtMs = (System.nanoTime() - m0) / 1e6 / SENTENCES;
                RouteScore whisperScore = score(SpeechRoutes.whisperTranslate(lang), direct, english, translateNs / 1e6 / SENTENCES);
                RouteScore routeScore = score(SpeechRoutes.transcribeThen(route), carried, english,
                        transcribeNs / 1e6 / SENTENCES + mtMs);
                into.add(whisperScore);
                into.add(routeScore);
                rows.add(new JsonObject().put("lang", lang).put("sentences", SENTENCES)
                        .put("whisperTranslate", json(whisperScore, direct))
                        .put("transcribeThenRoute", json(routeScore, carried).put("route", route.signature())
                                .put("transcriptChrF", Percentiles.round(ChrF.corpus(transcripts,
                                        corpus.get(lang).subList(0, SENTENCES)).score(), 2)))
                        .put("winner", new SpeechRoutes.Comparison(lang, whisperScore, routeScore).whisperWins()
                                ? "whisper-translate" : "transcribe-then-route"));
            }
        }
        return new JsonObject()
                .put("what", "Speech into English on " + SENTENCES + " dev sentences per language spoken by espeak-ng:"
                        + " Whisper base (int8, greedy) translate task, against its transcript carried by the chosen text"
                        + " route; BLEU/chrF against the English sentences; msPerSentence is recognition (and translation)"
                        + " time per sentence, offline")
                .put("languages", rows).put("notMeasured", skipped);
    }

    private static RouteScore score(String signature, List<String> hyps, List<String> refs, double ms) {
        return new RouteScore(signature, Percentiles.round(ChrF.corpus(hyps, refs).score(), 2),
                Percentiles.round(Bleu.corpus(hyps, refs).score(), 2), hyps.size(), Percentiles.round(ms, 1));
    }

    private static JsonObject json(RouteScore s, List<String> hyps) {
        return new JsonObject().put("signature", s.route()).put("bleu", s.bleu()).put("chrF", s.chrF())
                .put("msPerSentence", s.msPerSentence()).put("sample", hyps.getFirst());
    }

    /** Each sentence spoken by espeak-ng, as 16 kHz samples. */
    static List<float[]> speak(String voice, List<String> sentences) throws IOException, InterruptedException {
        List<float[]> out = new ArrayList<>();
        for (String s : sentences) {
            out.add(SyntheticSpeech.speak(voice, s));
        }
        return out;
    }
}
