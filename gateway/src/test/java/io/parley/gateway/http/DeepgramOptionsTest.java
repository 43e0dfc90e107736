package io.parley.gateway.http;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deepgram's query parameters as its clients send them, and the ones that cannot be served. */
class DeepgramOptionsTest {

    static final Set<String> RECOGNIZED = Set.of("en", "es", "pt");
    static final Set<String> TRANSLATED = Set.of("es", "pt", "ca");

    static DeepgramOptions parse(String query) throws DeepgramOptions.Invalid {
        MultiMap q = MultiMap.caseInsensitiveMultiMap();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                q.add(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return DeepgramOptions.parse(q, RECOGNIZED, TRANSLATED, true);
    }

    @Test
    void aTypicalLiveRequest() throws Exception {
        DeepgramOptions o = parse("model=nova-3&language=en-US&encoding=linear16&sample_rate=48000&channels=2"
                + "&interim_results=true&punctuate=true&smart_format=true&endpointing=300&utterance_end_ms=1000"
                + "&vad_events=true&keywords=Dashwood:2&keyterm=Norland&numerals=true");
        assertEquals("nova-3", o.model());
        assertEquals("en", o.language());
        assertEquals(48000, o.sampleRate());
        assertEquals(2, o.channels());
        assertTrue(o.interim() && o.vadEvents());
        assertEquals(1000, o.utteranceEndMs().orElseThrow());
        assertEquals(List.of("Dashwood", "Norland"), o.hints());
    }

    @Test
    void opusNeedsNoRate() throws Exception {
        assertEquals("opus", parse("encoding=opus").encoding().orElseThrow());
    }

    @Test
    void multiAndDetectionMeanAuto() throws Exception {
        assertEquals("auto", parse("language=multi").language());
        assertEquals("auto", parse("detect_language=true").language());
        assertEquals("auto", parse("").language(), "an engine that identifies languages listens for any");
        assertEquals("pt", parse("language=pt-BR").language());
    }

    @Test
    void parleysExtensions() throws Exception {
        DeepgramOptions o = parse("translate=es,pt&translate=ca&room=abc123&utterances=true");
        assertEquals(List.of("es", "pt", "ca"), o.translate());
        assertEquals("abc123", o.room().orElseThrow());
        assertTrue(o.utterances());
    }

    @Test
    void whatCannotBeServedIsRefusedWithAStableCode() {
        assertEquals("unknown_format", assertThrows(DeepgramOptions.Invalid.class, () -> parse("encoding=amr-wb&sample_rate=16000")).code());
        assertEquals("unsupported_sample_rate", assertThrows(DeepgramOptions.Invalid.class,
                () -> parse("encoding=linear16&sample_rate=44000")).code());
        assertEquals("unsupported_sample_rate", assertThrows(DeepgramOptions.Invalid.class, () -> parse("encoding=linear16")).code());
        assertEquals("unsupported_sample_rate", assertThrows(DeepgramOptions.Invalid.class,
                () -> parse("encoding=linear16&sample_rate=44")).code());
        assertEquals("unsupported_channels", assertThrows(DeepgramOptions.Invalid.class, () -> parse("channels=99")).code());
        assertEquals("unsupported_language", assertThrows(DeepgramOptions.Invalid.class, () -> parse("language=xx")).code());
        assertEquals("unsupported_language", assertThrows(DeepgramOptions.Invalid.class, () -> parse("translate=de")).code());
        assertEquals("invalid_request", assertThrows(DeepgramOptions.Invalid.class, () -> parse("endpointing=soon")).code());
        assertEquals("invalid_request", assertThrows(DeepgramOptions.Invalid.class, () -> parse("utterance_end_ms=10")).code());
    }
}
