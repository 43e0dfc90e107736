package io.parley.gateway.e2e;

import io.parley.testkit.MetricsText;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway on its default engine, Whisper (base, int8, with Silero VAD), end to end: the
 * language a speaker uses is identified per utterance and carried by every caption, a viewer
 * without {@code lang} reads the speaker's own language, and a room that asks for the
 * {@code translate} task is captioned in English and fanned out from there.
 */
class WhisperGatewayTest {

    static final String SPANISH = "Buenos días a todos. Hoy vamos a hablar del presupuesto del próximo año.";
    static TestGateway gw;
    /** {@link #SPANISH} spoken, s16le at {@link SpokenText#RATE}. */
    static byte[] spanishSpeech;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.whisper();
        spanishSpeech = SpokenText.pcm48k("es", SPANISH);
    }

    /** The value of one series in a Prometheus text exposition; fails if it is absent. */
    static double metric(String exposition, String series) {
        Double value = MetricsText.parse(exposition).get(series);
        if (value == null) {
            throw new AssertionError(series + " not in /metrics");
        }
        return value;
    }

    /** The finals with text that a viewer received, after the speaker's stream has ended. */
    static List<JsonObject> finals(SocketClient viewer, int atLeast) throws Exception {
        viewer.await(j -> viewer.finals().stream().filter(f -> !f.getString("text").isBlank()).count() >= atLeast, 30_000);
        return viewer.finals().stream().filter(f -> !f.getString("text").isBlank()).toList();
    }

    /** A room's viewer of the captions as spoken, and one reading them in {@code lang}. */
    record Viewers(SocketClient original, SocketClient translated) implements AutoCloseable {
        @Override
        public void close() {
            original.close();
            translated.close();
        }
    }

    /**
     * Opens both viewers of {@code room}, then speaks {@code pcm} into it at real-time pace in
     * language {@code auto}, followed by a pause, and stops the stream once every final is out.
     */
    static Viewers speakAndWatch(JsonObject room, String lang, byte[] pcm, int rate) throws Exception {
        String captions = "/v1/rooms/" + room.getString("room") + "/captions";
        Viewers viewers = new Viewers(SocketClient.connect(gw.ws(captions), room.getString("viewerToken")),
                SocketClient.connect(gw.ws(captions + "?lang=" + lang), room.getString("viewerToken")));
        Speaker speaker = Speaker.start(gw, room.getString("room"), room.getString("speakerToken"), "pcm_s16le", rate,
                "Speaker", "auto");
        speaker.sendPcm(pcm, rate);
        speaker.sendSilence(1.5, rate);
        speaker.stop();
        return viewers;
    }

    static String text(List<JsonObject> finals) {
        return finals.stream().map(f -> f.getString("text")).collect(Collectors.joining(" "));
    }

    @Test
    void languagesAreWhispers() throws Exception {
        HttpResponse<String> r = gw.get("/v1/languages", null);
        assertEquals(200, r.statusCode());
        JsonObject body = new JsonObject(r.body());
        Set<String> recognised = body.getJsonArray("recognition").stream()
                .map(o -> ((JsonObject) o).getString("lang")).collect(Collectors.toSet());
        assertTrue(recognised.size() >= 90, "Whisper base knows 99 languages: " + recognised);
        assertTrue(recognised.containsAll(Set.of("en", "es", "fr", "de", "ja", "zh", "ar")), recognised.toString());
        assertTrue(body.getBoolean("autoDetect"));
        assertEquals(new JsonArray().add("transcribe").add("translate"), body.getJsonArray("tasks"));
        assertTrue(body.getJsonArray("recognition").getJsonObject(0).getString("engine").startsWith("whisper-"));
    }

    @Test
    void englishSpeechIsIdentifiedCaptionedAndTranslated() throws Exception {
        EvaluationSet.Clip clip = EvaluationSet.locate().clip("librivox_sense_and_sensibility_01_austen_64kb-0890.wav");
        WavFile wav = WavFile.read(clip.wav());
        try (Viewers viewers = speakAndWatch(gw.createRoom(), "es", wav.pcm(), wav.sampleRate())) {
            SocketClient original = viewers.original();
            List<JsonObject> en = finals(original, 1);
            en.forEach(f -> assertEquals("en", f.getString("lang"), "identified as English: " + f));
            WordErrorRate wer = WordErrorRate.of(clip.reference(), text(en));
            assertTrue(wer.rate() <= 0.1, "'" + text(en) + "': " + wer);
            assertFalse(original.ofType("caption").stream().filter(c -> !c.getBoolean("final")).toList().isEmpty(),
                    "partials while the clip was spoken");
            // Where the model's time went, by kind of pass: this stream's finals are among them.
            String metrics = gw.get("/metrics", null).body();
            assertTrue(metric(metrics, "parley_recognizer_passes_total{kind=\"final\"}") >= 1, metrics);
            assertTrue(metric(metrics, "parley_recognizer_pass_seconds_total{kind=\"final\"}") > 0, metrics);
            assertTrue(metric(metrics, "parley_recognizer_pass_phase_seconds_total{kind=\"final\",phase=\"encode\"}") > 0,
                    metrics);
            assertTrue(metric(metrics, "parley_recognizer_passes_total{kind=\"partial\"}") >= 1, metrics);
            List<JsonObject> es = finals(viewers.translated(), en.size());
            assertEquals(en.size(), es.size());
            for (int i = 0; i < es.size(); i++) {
                assertEquals("es", es.get(i).getString("lang"));
                assertEquals(RouteReference.caption(gw, "en", "es", en.get(i).getString("text")), es.get(i).getString("text"));
            }
        }
    }

    @Test
    void spanishSpeechIsCaptionedInSpanishAndTranslatedIntoEnglish() throws Exception {
        try (Viewers viewers = speakAndWatch(gw.createRoom(), "en", spanishSpeech, SpokenText.RATE)) {
            List<JsonObject> es = finals(viewers.original(), 1);
            es.forEach(f -> assertEquals("es", f.getString("lang"), "identified as Spanish: " + f));
            WordErrorRate wer = WordErrorRate.of(SPANISH, text(es));
            assertTrue(wer.rate() <= 0.25, "'" + text(es) + "': " + wer);
            List<JsonObject> en = finals(viewers.translated(), es.size());
            for (JsonObject f : en) {
                assertEquals("en", f.getString("lang"));
                assertEquals("es", f.getJsonObject("source").getString("lang"));
            }
            assertTrue(text(en).toLowerCase().contains("good"), "English by the text route: " + text(en));
        }
    }

    @Test
    void spanishSpeechIsCaptionedInEnglishByWhisperWhereThatMeasuredBetter() throws Exception {
        // A route table in which Whisper's own translation of Spanish speech beats its transcript
        // carried by the text route (the rule's choice, as the table scores no text route).
        var translators = gw.engines.translators();
        var rule = new io.parley.translate.routing.TranslationRouter(translators,
                io.parley.translate.routing.RouteScores.none(), io.parley.translate.routing.RoutePolicy.DEFAULT);
        var table = new io.parley.translate.routing.RouteScores(List.of(
                new io.parley.translate.routing.RouteScore(
                        io.parley.translate.routing.SpeechRoutes.whisperTranslate("es"), 60, 30, 40, 900),
                new io.parley.translate.routing.RouteScore(io.parley.translate.routing.SpeechRoutes.transcribeThen(
                        rule.route("es", "en").orElseThrow()), 50, 20, 40, 700)));
        var engines = new io.parley.gateway.engines.Engines(gw.engines.accelerator(), gw.engines.recognizer(),
                translators, io.parley.translate.routing.RoutePolicy.DEFAULT, table);
        assertEquals(Set.of("es"), engines.englishFromSpeechLanguages());
        TestGateway speechFirst = gw.withEngines(engines);
        JsonObject languages = new JsonObject(speechFirst.get("/v1/languages", null).body());
        JsonObject spanish = languages.getJsonArray("speechToEnglish").getJsonObject(0);
        assertEquals("es", spanish.getString("lang"));
        assertEquals("speech", spanish.getString("via"));

        JsonObject room = speechFirst.createRoom();
        String captions = "/v1/rooms/" + room.getString("room") + "/captions";
        try (SocketClient original = SocketClient.connect(speechFirst.ws(captions), room.getString("viewerToken"));
             SocketClient english = SocketClient.connect(speechFirst.ws(captions + "?lang=en"), room.getString("viewerToken"))) {
            Speaker speaker = Speaker.start(speechFirst, room.getString("room"), room.getString("speakerToken"), "pcm_s16le",
                    SpokenText.RATE, "Speaker", "auto");
            speaker.sendPcm(spanishSpeech, SpokenText.RATE);
            speaker.sendSilence(1.5, SpokenText.RATE);
            speaker.stop();
            List<JsonObject> es = finals(original, 1);
            List<JsonObject> en = finals(english, es.size());
            for (JsonObject f : en) {
                assertEquals("speech", f.getString("via"), "Whisper's English: " + f);
                assertEquals("es", f.getJsonObject("source").getString("lang"));
                assertFalse(f.containsKey("flagged"), f.encode());
            }
            assertTrue(text(en).toLowerCase().contains("good"), "Whisper's English: " + text(en));
            // The original viewers' captions carry no trace of it.
            es.forEach(f -> assertFalse(f.containsKey("speechEnglish") || f.containsKey("via"), f.encode()));
            // And a viewer arriving later reads the same English, from the store.
            try (SocketClient late = SocketClient.connect(speechFirst.ws(captions + "?lang=en&since=0"),
                    room.getString("viewerToken"))) {
                List<JsonObject> replayed = finals(late, en.size());
                assertEquals(text(en), text(replayed));
            }
        }
    }

    @Test
    void aTranslateRoomCaptionsForeignSpeechInEnglish() throws Exception {
        JsonObject room = gw.createRoom(new JsonObject().put("task", "translate"));
        assertEquals("translate", room.getString("task"));
        try (Viewers viewers = speakAndWatch(room, "es", spanishSpeech, SpokenText.RATE)) {
            List<JsonObject> en = finals(viewers.original(), 1);
            en.forEach(f -> assertEquals("en", f.getString("lang"), "captioned in English: " + f));
            String english = text(en).toLowerCase();
            assertTrue(english.contains("good morning") && english.contains("today"), "Whisper's translation: " + english);
            // Fanned out from English by the translators.
            List<JsonObject> es = finals(viewers.translated(), en.size());
            for (int i = 0; i < es.size(); i++) {
                assertEquals("es", es.get(i).getString("lang"));
                assertEquals("en", es.get(i).getJsonObject("source").getString("lang"));
                assertEquals(RouteReference.caption(gw, "en", "es", en.get(i).getString("text")), es.get(i).getString("text"));
            }
        }
    }

    @Test
    void aRoomAsksForAKnownTask() throws Exception {
        HttpResponse<String> r = gw.http.send(HttpRequest.newBuilder(URI.create(gw.http("/v1/rooms")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"summarise\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("invalid_request", new JsonObject(r.body()).getString("code"));
    }

    @Test
    void anEnglishOnlyEngineRefusesTheTranslateTask() throws Exception {
        TestGateway sphinx = TestGateway.shared();
        HttpResponse<String> r = sphinx.http.send(HttpRequest.newBuilder(URI.create(sphinx.http("/v1/rooms")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"task\":\"translate\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("unsupported_task", new JsonObject(r.body()).getString("code"));
    }

    @Test
    void aRoomsGlossaryHintsTheRecognizerAndProtectsItsTermsInTranslation() throws Exception {
        // A product name Whisper has no reason to spell this way, spoken by espeak-ng.
        byte[] speech = SpokenText.pcm48k("en", "Please restart the Zylotek router and wait one minute.");
        JsonObject plain = gw.createRoom();
        String withoutHint;
        try (Viewers v = speakAndWatch(plain, "es", speech, SpokenText.RATE)) {
            withoutHint = text(finals(v.original(), 1));
        }
        JsonObject room = gw.createRoom();
        JsonObject glossary = new JsonObject().put("doNotTranslate", new io.vertx.core.json.JsonArray().add("Zylotek"));
        HttpResponse<String> put = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gw.http("/v1/rooms/" + room.getString("room") + "/glossary")))
                .header("Authorization", "Bearer " + room.getString("speakerToken"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(glossary.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put::body);
        try (Viewers v = speakAndWatch(room, "es", speech, SpokenText.RATE)) {
            String withHint = text(finals(v.original(), 1));
            String spanish = text(finals(v.translated(), 1));
            System.out.println("without hint: " + withoutHint + " | with hint: " + withHint + " | es: " + spanish);
            assertFalse(withoutHint.contains("Zylotek"), "without the glossary Whisper spells it otherwise: " + withoutHint);
            assertTrue(withHint.contains("Zylotek"), "the glossary's spelling: " + withHint);
            assertTrue(spanish.contains("Zylotek"), "and the translation keeps it: " + spanish);
        }
    }

    @Test
    void viewersOfOtherLanguagesGetPartialsTranslatedOnTheirStablePrefix() throws Exception {
        io.parley.speech.eval.EvaluationSet.Clip clip = io.parley.speech.eval.EvaluationSet.locate()
                .clip("librivox_sense_and_sensibility_01_austen_64kb-0870.wav");
        io.parley.speech.audio.WavFile wav = io.parley.speech.audio.WavFile.read(clip.wav());
        JsonObject room = gw.createRoom();
        try (Viewers v = speakAndWatch(room, "pt", wav.pcm(), wav.sampleRate())) {
            List<JsonObject> finals = finals(v.translated(), 1);
            List<JsonObject> partials = v.translated().messages.stream().map(SocketClient.Received::json)
                    .filter(j -> "caption".equals(j.getString("type")) && !j.getBoolean("final")).toList();
            String english = text(finals(v.original(), 1)).toLowerCase();
            System.out.println(partials.size() + " Portuguese partials, e.g. " + (partials.isEmpty() ? "-"
                    : partials.getLast().getString("text")) + " | final: " + text(finals));
            assertFalse(partials.isEmpty(), "partials reach the Portuguese viewer");
            for (JsonObject p : partials) {
                assertEquals("pt", p.getString("lang"));
                // Only words the recognizer had settled on were translated.
                String source = p.getJsonObject("source").getString("text").toLowerCase().replaceAll("[^a-z ]", "");
                assertTrue(english.replaceAll("[^a-z ]", "").startsWith(source.strip()), source + " / " + english);
            }
            // At most one every 400 ms of speech.
            assertTrue(partials.size() <= wav.durationSeconds() / 0.4 + 1, partials.size() + " partials");
            // And nothing of a segment after its final.
            long segment = finals.getFirst().getLong("segment");
            int finalAt = v.translated().messages.stream().map(SocketClient.Received::json).toList().indexOf(finals.getFirst());
            assertTrue(v.translated().messages.stream().skip(finalAt + 1).map(SocketClient.Received::json)
                    .noneMatch(j -> "caption".equals(j.getString("type")) && j.getLong("segment") == segment));
        }
    }
}
