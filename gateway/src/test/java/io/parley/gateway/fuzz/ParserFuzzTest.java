package io.parley.gateway.fuzz;

import io.parley.gateway.config.Limits;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.GlossaryJson;
import io.parley.gateway.protocol.TranslateRequest;
import io.parley.gateway.whip.SdpOffer;
import io.parley.gateway.ws.CaptionsQuery;
import io.parley.gateway.ws.InboundFrames;
import io.parley.gateway.ws.StartMessage;
import io.parley.speech.audio.AudioDecoder;
import io.parley.speech.audio.AudioEncoding;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parser of the protocol, in-process, against more than a million random and mutated
 * inputs: each either yields a value or refuses with one of the protocol's documented error
 * codes. Anything else — a NullPointerException, a ClassCastException, a stack overflow, a code
 * nobody documented — fails the test with the input that caused it.
 */
class ParserFuzzTest {

    static final Set<String> DOCUMENTED = ErrorCodes.all();
    static final Set<String> LANGUAGES = Set.of("en", "es", "pt", "ca", "fr", "de");
    static final long SEED = 20261206;

    /** Outcomes by kind, for the report: how many inputs were taken, and refused with each code. */
    final Map<String, Integer> outcomes = new TreeMap<>();
    int total;

    void run(String parser, Object input, ThrowingRunnable parse) {
        total++;
        try {
            parse.run();
            outcomes.merge(parser + " ok", 1, Integer::sum);
        } catch (Refused r) {
            assertTrue(DOCUMENTED.contains(r.code), parser + " refused with an undocumented code '" + r.code + "' for "
                    + show(input));
            outcomes.merge(parser + " " + r.code, 1, Integer::sum);
        } catch (Throwable t) {
            throw new AssertionError(parser + " failed with " + t + " on input " + show(input), t);
        }
    }

    interface ThrowingRunnable {
        void run() throws Throwable;
    }

    /** A refusal with its code, as each parser's own exception carries it. */
    static final class Refused extends RuntimeException {
        final String code;

        Refused(String code) {
            super(code, null, false, false);
            this.code = code;
        }
    }

    static String show(Object input) {
        String s = input instanceof byte[] b ? java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 64)) : String.valueOf(input);
        return s.length() > 300 ? s.substring(0, 300) + "... (" + s.length() + " chars)" : s;
    }

    @Test
    void everyParserTakesAMillionHostileInputsAndAnswersOnlyWithDocumentedCodes() {
        controlMessages(300_000);
        audioFrames(200_000);
        sdpOffers(100_000);
        glossaries(150_000);
        translateBodies(150_000);
        captionQueries(120_000);
        System.out.println("parser fuzzing: " + total + " inputs");
        outcomes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        assertTrue(total >= 1_000_000, "at least a million inputs: " + total);
    }

    void controlMessages(int n) {
        Mutator m = new Mutator(SEED, List.of(
                "{\"type\":\"start\",\"format\":\"pcm_s16le\",\"sampleRate\":16000,\"channels\":1,\"language\":\"en\",\"speaker\":\"Ana\"}",
                "{\"type\":\"start\",\"format\":\"opus\",\"sampleRate\":48000,\"channels\":2,\"language\":\"auto\"}",
                "{\"type\":\"stop\"}", "{\"type\":\"keepalive\"}", "{\"type\":\"start\"}"));
        AtomicReference<String> refusal = new AtomicReference<>();
        Limits limits = Limits.defaults();
        for (int i = 0; i < n; i++) {
            String text = m.text();
            run("control", text, () -> {
                refusal.set(null);
                // A fresh reader per message: the rate window is not what is fuzzed here.
                JsonObject msg = new InboundFrames(limits, (code, message) -> refusal.set(code)).message(text);
                if (msg == null) {
                    throw new Refused(refusal.get());
                }
                if ("start".equals(msg.getString("type"))) {
                    try {
                        StartMessage start = StartMessage.parse(msg);
                        AudioDecoder.create(start.format());
                    } catch (StartMessage.Invalid e) {
                        throw new Refused(e.code());
                    } catch (AudioFormatException e) {
                        throw new Refused(e.code());
                    }
                }
            });
        }
    }

    void audioFrames(int n) {
        Mutator m = new Mutator(SEED + 1, List.of("x"));
        List<AudioStreamFormat> formats = new ArrayList<>();
        for (int rate : new int[]{8000, 16000, 44100, 48000}) {
            for (int ch = 1; ch <= 2; ch++) {
                formats.add(new AudioStreamFormat(AudioEncoding.PCM_S16LE, rate, ch));
                if (rate != 44100) {
                    formats.add(new AudioStreamFormat(AudioEncoding.OPUS, rate, ch));
                }
            }
        }
        List<AudioDecoder> decoders = formats.stream().map(AudioDecoder::create).toList();
        for (int i = 0; i < n; i++) {
            AudioDecoder d = decoders.get(m.random().nextInt(decoders.size()));
            byte[] frame = m.bytes(i % 100 == 0 ? 70_000 : 1500);
            run("audio", frame, () -> {
                try {
                    float[] samples = d.decode(frame);
                    for (float s : samples) {
                        if (!(s >= -1.0001f && s <= 1.0001f)) {
                            throw new AssertionError("a sample out of [-1, 1]: " + s);
                        }
                    }
                } catch (AudioFormatException e) {
                    throw new Refused(e.code());
                }
            });
        }
    }

    void sdpOffers(int n) {
        String offer = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuv\r\n"
                + "a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF\r\n"
                + "a=setup:actpass\r\na=mid:0\r\na=sendonly\r\na=rtpmap:111 opus/48000/2\r\n";
        Mutator m = new Mutator(SEED + 2, List.of(offer, offer.replace("a=sendonly", "a=recvonly"), "v=0\r\n", ""));
        for (int i = 0; i < n; i++) {
            String body = m.text();
            run("sdp", body, () -> {
                try {
                    SdpOffer.check(body);
                } catch (SdpOffer.Invalid e) {
                    throw new Refused(ErrorCodes.BAD_SDP);
                }
            });
        }
    }

    void glossaries(int n) {
        Mutator m = new Mutator(SEED + 3, List.of(
                "{\"terms\":[{\"term\":\"ticket\",\"translations\":{\"pt\":\"chamado\",\"es\":\"incidencia\"}}],\"doNotTranslate\":[\"Parley\"]}",
                "{\"terms\":[],\"doNotTranslate\":[]}", "{\"doNotTranslate\":[\"Acme Cloud\",\"Zylotek\"]}",
                "{\"terms\":[{\"term\":\"x\"}]}"));
        for (int i = 0; i < n; i++) {
            String text = m.text();
            run("glossary", text, () -> {
                JsonObject body;
                try {
                    body = new JsonObject(text);
                } catch (RuntimeException e) {
                    throw new Refused(ErrorCodes.BAD_JSON);
                }
                try {
                    GlossaryJson.toJson(GlossaryJson.parse(body));
                } catch (IllegalArgumentException e) {
                    throw new Refused(ErrorCodes.INVALID_REQUEST);
                }
            });
        }
    }

    void translateBodies(int n) {
        Mutator m = new Mutator(SEED + 4, List.of(
                "{\"text\":\"Good morning.\",\"from\":\"en\",\"to\":\"pt\"}",
                "{\"texts\":[\"One.\",\"Two.\"],\"from\":\"en\",\"to\":\"es\",\"room\":\"abc\"}",
                "{\"text\":\"x\",\"from\":\"en\",\"to\":\"pt\",\"room\":null}"));
        for (int i = 0; i < n; i++) {
            String text = m.text();
            run("translate", text, () -> {
                JsonObject body;
                try {
                    body = new JsonObject(text);
                } catch (RuntimeException e) {
                    body = null; // the API answers bad_json for a body that is not an object
                }
                try {
                    TranslateRequest r = TranslateRequest.parse(body, LANGUAGES);
                    if (r.room().isPresent() && r.room().get() == null) {
                        throw new AssertionError("a room named as null");
                    }
                } catch (TranslateRequest.Invalid e) {
                    throw new Refused(e.code());
                }
            });
        }
    }

    void captionQueries(int n) {
        Mutator m = new Mutator(SEED + 5, List.of("es", "42", "10", "en-US", "pt_BR", "0", "-1", "99999999999999999999"));
        for (int i = 0; i < n; i++) {
            String lang = m.random().nextInt(4) == 0 ? null : m.text();
            String since = m.random().nextInt(3) == 0 ? null : m.text();
            String last = m.random().nextInt(3) == 0 ? null : m.text();
            run("captions query", lang + " | " + since + " | " + last, () -> {
                try {
                    CaptionsQuery q = CaptionsQuery.parse(lang, since, last, LANGUAGES, 10);
                    if (q.since() < -1 || q.last() < 0 || q.last() > CaptionsQuery.MAX_LAST
                            || (q.lang() != null && !LANGUAGES.contains(q.lang()))) {
                        throw new AssertionError("a query out of bounds was accepted: " + q);
                    }
                } catch (CaptionsQuery.Invalid e) {
                    throw new Refused(e.code());
                }
            });
        }
        assertEquals(n, outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("captions query"))
                .mapToInt(Map.Entry::getValue).sum());
    }
}
