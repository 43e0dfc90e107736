package io.parley.gateway.e2e;

import io.parley.testkit.TempFolders;

import io.parley.gateway.config.FileLimits;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenAI's {@code /v1/audio/transcriptions} and {@code /v1/audio/translations} on a real gateway
 * (Sphinx4, the test suite's quick recognizer), with files in every supported format made from a
 * real clip, and the bad input an upload endpoint gets. The official {@code openai} package is
 * run against the same endpoints by the compatibility tests in {@code compat/}.
 */
class OpenAiAudioApiTest {

    /** Sphinx4 on these clips sent as PCM scores about 0.3 (WhipIngestTest); lossy codecs cost a little. */
    static final double WER_BOUND = 0.45;

    static TestGateway gw;
    static EvaluationSet.Clip clip;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.shared();
        clip = EvaluationSet.locate().clips().stream().filter(c -> c.name().startsWith("librivox")).findFirst().orElseThrow();
    }

    static HttpResponse<String> post(TestGateway g, String path, MediaFixtures.Multipart form, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(g.http(path))).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static MediaFixtures.Multipart form(Path file, String format) throws Exception {
        return new MediaFixtures.Multipart().field("model", "whisper-1").field("response_format", format)
                .file("file", file.getFileName().toString(), Files.readAllBytes(file), "application/octet-stream");
    }

    static void assertOpenAiError(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r::body);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertEquals(code, error.getString("code"), r::body);
        assertTrue(error.getString("message").length() > 10 && error.containsKey("type"), r::body);
    }

    @Test
    void everyCommonFormatIsTranscribedToTheClipsWords() throws Exception {
        for (String ext : new String[]{"wav", "ogg", "flac", "mp3", "m4a", "webm"}) {
            Path file = ext.equals("wav") ? clip.wav() : MediaFixtures.encode(clip.wav(), ext);
            HttpResponse<String> r = post(gw, "/v1/audio/transcriptions", form(file, "json"), null);
            assertEquals(200, r.statusCode(), ext + ": " + r.body());
            String text = new JsonObject(r.body()).getString("text");
            WordErrorRate wer = WordErrorRate.of(clip.reference(), text);
            System.out.printf("OpenAI API, %s: WER %.3f: %s%n", ext, wer.rate(), text);
            assertTrue(wer.rate() <= WER_BOUND, ext + " WER " + wer.rate() + ": " + text);
        }
    }

    @Test
    void theResponseFormatsCarryTextTimesAndWords() throws Exception {
        HttpResponse<String> text = post(gw, "/v1/audio/transcriptions", form(clip.wav(), "text"), null);
        assertEquals(200, text.statusCode(), text::body);
        assertTrue(text.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(text.body().strip().split(" ").length > 5, text::body);

        HttpResponse<String> srt = post(gw, "/v1/audio/transcriptions", form(clip.wav(), "srt"), null);
        assertTrue(srt.body().startsWith("1\n00:00:"), srt::body);
        assertTrue(srt.body().contains(" --> "), srt::body);

        HttpResponse<String> vtt = post(gw, "/v1/audio/transcriptions", form(clip.wav(), "vtt"), null);
        assertTrue(vtt.body().startsWith("WEBVTT"), vtt::body);

        HttpResponse<String> verbose = post(gw, "/v1/audio/transcriptions", form(clip.wav(), "verbose_json")
                .field("timestamp_granularities[]", "word").field("timestamp_granularities[]", "segment"), null);
        assertEquals(200, verbose.statusCode(), verbose::body);
        JsonObject v = new JsonObject(verbose.body());
        assertEquals("transcribe", v.getString("task"));
        assertEquals("english", v.getString("language"));
        assertTrue(v.getDouble("duration") > 1, v::encode);
        JsonArray segments = v.getJsonArray("segments");
        JsonArray words = v.getJsonArray("words");
        assertTrue(!segments.isEmpty() && words.size() > 5, v::encode);
        double last = -1;
        for (int i = 0; i < words.size(); i++) {
            JsonObject w = words.getJsonObject(i);
            assertTrue(w.getDouble("start") >= last - 0.05 && w.getDouble("end") >= w.getDouble("start"), w::encode);
            assertTrue(w.getDouble("end") <= v.getDouble("duration") + 0.5, w::encode);
            last = w.getDouble("start");
        }
        JsonObject s0 = segments.getJsonObject(0);
        assertTrue(s0.containsKey("id") && s0.containsKey("start") && s0.containsKey("end") && s0.containsKey("avg_logprob"));
    }

    @Test
    void translationsAnswerInEnglish() throws Exception {
        HttpResponse<String> r = post(gw, "/v1/audio/translations", form(clip.wav(), "json"), null);
        assertEquals(200, r.statusCode(), r::body);
        WordErrorRate wer = WordErrorRate.of(clip.reference(), new JsonObject(r.body()).getString("text"));
        assertTrue(wer.rate() <= WER_BOUND, "English speech stays English: " + r.body());
    }

    @Test
    void badInputGetsOpenAiShapedErrorsAndTheServerStaysUp() throws Exception {
        TestGateway keyed = gw.withConfig(gw.config.withApiKey("a-test-api-key-of-enough-length")
                .withFiles(new FileLimits(2L * 1024 * 1024, 30, Duration.ofMinutes(1), 512L * 1024 * 1024, 2)));
        try {
            String key = "a-test-api-key-of-enough-length";
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(clip.wav(), "json"), null), 401, "unauthorized");
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(clip.wav(), "json"), "wrong"), 401, "unauthorized");
            // Not audio: a text file, whatever it is called.
            Path notAudio = TempFolders.create("parley-media-").resolve("speech.wav");
            Files.writeString(notAudio, "this is a note, not a recording\n".repeat(20));
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(notAudio, "json"), key), 415, "unsupported_media_type");
            // Cut short: a WAV whose header promises more, and an Ogg that stops mid-page.
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(MediaFixtures.truncated(clip.wav(), 0.5), "json"), key),
                    400, "corrupt_media");
            Path ogg = MediaFixtures.encode(clip.wav(), "ogg");
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(MediaFixtures.truncated(ogg, 0.6), "json"), key),
                    400, "corrupt_media");
            // Longer than the server takes: a minute of silence against a 30 s limit (refused from the header).
            Path longWav = TempFolders.create("parley-media-").resolve("long.wav");
            Files.write(longWav, MediaFixtures.silentWav(60));
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(longWav, "json"), key), 413, "media_too_long");
            // Larger than the upload limit (2 MiB): refused without transcribing.
            Path big = TempFolders.create("parley-media-").resolve("big.wav");
            Files.write(big, MediaFixtures.silentWav(25 * 60 / 10));
            assertTrue(Files.size(big) > 2L * 1024 * 1024);
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(big, "json"), key), 413, "upload_too_large");
            // The form itself.
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", new MediaFixtures.Multipart().field("model", "whisper-1"), key),
                    400, "invalid_request");
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", new MediaFixtures.Multipart()
                    .file("file", "a.wav", Files.readAllBytes(clip.wav()), "audio/wav"), key), 400, "invalid_request");
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(clip.wav(), "docx"), key), 400, "invalid_request");
            assertOpenAiError(post(keyed, "/v1/audio/transcriptions", form(clip.wav(), "json").field("language", "xx"), key),
                    400, "unsupported_language");
            // And after all that, the same server transcribes.
            HttpResponse<String> ok = post(keyed, "/v1/audio/transcriptions", form(clip.wav(), "json"), key);
            assertEquals(200, ok.statusCode(), ok::body);
            assertTrue(keyed.get("/metrics", null).body().contains("parley_file_audio_seconds"));
        } finally {
            keyed.server.close();
        }
    }
}
