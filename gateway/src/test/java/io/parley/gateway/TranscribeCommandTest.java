package io.parley.gateway;

import io.parley.testkit.TempFolders;

import io.parley.gateway.e2e.MediaFixtures;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parley transcribe}: a recording to WebVTT in the language spoken and in Spanish, with real engines. */
class TranscribeCommandTest {

    @Test
    void aRecordingBecomesWebVttInTheLanguageSpokenAndInSpanish() throws Exception {
        EvaluationSet.Clip clip = EvaluationSet.locate().clips().stream().filter(c -> c.name().startsWith("librivox"))
                .findFirst().orElseThrow();
        Path ogg = MediaFixtures.encode(clip.wav(), "ogg");
        Path out = TempFolders.create("parley-transcribe-");
        List<Path> written = TranscribeCommand.run(new String[]{ogg.toString(), "--lang", "es", "--out", out.toString(),
                "--asr", "sphinx", "--mt-model", "none"});
        String stem = ogg.getFileName().toString().replace(".ogg", "");
        assertEquals(List.of(out.resolve(stem + ".vtt"), out.resolve(stem + ".es.vtt")), written);
        String english = Files.readString(written.get(0));
        String spanish = Files.readString(written.get(1));
        assertTrue(english.startsWith("WEBVTT") && english.contains(" --> "), english);
        assertTrue(spanish.startsWith("WEBVTT") && spanish.contains(" --> "), spanish);
        String said = english.lines().filter(l -> !l.isBlank() && !l.contains("-->") && !l.equals("WEBVTT")
                && !l.matches("\\d+")).reduce("", (a, b) -> a + " " + b);
        assertTrue(WordErrorRate.of(clip.reference(), said).rate() <= 0.45, said);
        assertTrue(!spanish.equals(english), "the Spanish file is a translation");

        List<Path> json = TranscribeCommand.run(new String[]{clip.wav().toString(), "--format", "json", "--out", out.toString(),
                "--asr", "sphinx", "--mt-model", "none"});
        JsonObject doc = new JsonObject(Files.readString(json.getFirst()));
        assertEquals("en", doc.getString("language"));
        assertTrue(doc.getJsonArray("segments").getJsonObject(0).getJsonArray("words").size() > 3, doc::encode);
    }
}
