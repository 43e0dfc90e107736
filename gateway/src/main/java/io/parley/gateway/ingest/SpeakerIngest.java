package io.parley.gateway.ingest;

import io.parley.gateway.engines.Engines;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRefusal;
import io.parley.gateway.room.SpeakerStream;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.translate.api.LanguageCodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A speaker's audio joined to a room: its {@link SpeakerStream} (which publishes the captions)
 * and the recognizer session that listens to it. Every way audio arrives — the speaker
 * WebSocket, WebRTC through WHIP — opens its stream here, so that a speaker is checked and
 * counted the same way whatever its transport. The session survives a failure of the engine
 * ({@link RestartingSession}).
 *
 * <p>Opening a recognizer session may take a while (a decoder to build), so it is never called
 * on an event loop.
 *
 * @param stream   the room's side: captions, segments, lifecycle (null when the stream is
 *                 recognised on another node of a fleet)
 * @param session  the recognizer's side: 16 kHz samples in
 * @param language the language the session recognises (an ISO code, or {@code auto})
 */
public record SpeakerIngest(SpeakerStream stream, RecognizerSession session, String language) {

    /** Expected languages a speaker may name. */
    public static final int MAX_EXPECTED = 10;

    /** Audio kept since the last final, for a restarted recognizer to hear again. */
    static final double REPLAY_SECONDS = 60;

    /**
     * Opens a stream for a speaker in a room.
     *
     * @param requestedLanguage what the client asked for: an ISO 639 code or {@code auto}
     * @param expected          with {@code auto}, the languages the speaker said to expect (checked here; may be empty)
     * @param echo              where the speaker's own captions go (may ignore them)
     * @param streamId          a name for logs, unique in the server
     * @param onError           called when the recognizer fails mid-stream and cannot be restarted
     * @param onEnded           called on the recognizer's thread once the last final is out
     * @param ending            how the transport ends the stream when the room asks
     * @throws IngestRefused    with {@code unsupported_language}, {@code capacity_reached},
     *                          {@code room_closed}, or the recognizer's own code when it cannot
     *                          take another stream
     */
    public static SpeakerIngest open(Room room, Engines engines, GatewayMetrics metrics, String requestedLanguage,
                                     List<String> expected, String speaker, CaptionSink echo, String streamId,
                                     Consumer<RecognizerException> onError, Runnable onEnded,
                                     SpeakerStream.Ending ending) throws IngestRefused {
        SpeechRecognizer recognizer = engines.recognizer();
        Optional<String> language = resolveLanguage(requestedLanguage, recognizer);
        if (language.isEmpty()) {
            throw new IngestRefused(ErrorCodes.UNSUPPORTED_LANGUAGE, "the " + recognizer.engine()
                    + " engine does not recognise '" + requestedLanguage + "'; it knows " + recognizer.languages()
                    + (recognizer.identifiesLanguage() ? " and auto" : ""));
        }
        List<String> expectedLanguages = resolveExpected(language.get(), expected, recognizer);
        if (room.fleet() instanceof SpeakerPlacement fleet) {
            return fleet.openElsewhere(room, language.get(), expectedLanguages, speaker, echo, streamId, onError, onEnded, ending);
        }
        return openHere(room, engines, metrics, language.get(), expectedLanguages, speaker, echo, streamId, onError, onEnded, ending,
                room.secondsSinceCreation());
    }

    /**
     * Opens the stream on this node's own recognizer, the language resolved: every stream of a
     * gateway that runs alone, and on a fleet's worker the streams placed on it.
     *
     * @param startOffset seconds from the room's creation to the start of the stream's audio
     */
    public static SpeakerIngest openHere(Room room, Engines engines, GatewayMetrics metrics, String language,
                                         List<String> expected, String speaker, CaptionSink echo, String streamId,
                                         Consumer<RecognizerException> onError, Runnable onEnded,
                                         SpeakerStream.Ending ending, double startOffset) throws IngestRefused {
        SpeechRecognizer recognizer = engines.recognizer();
        SpeakerStream stream;
        try {
            stream = room.addSpeaker(speaker, language, echo, startOffset);
        } catch (RoomRefusal e) {
            throw new IngestRefused(e.code(), e.getMessage());
        }
        try {
            stream.onLifecycle(onError, onEnded, ending);
            // The room's glossary terms are the recognizer's hints, read again at each utterance.
            RecognizerSession session = RestartingSession.open(recognizer, new SessionOptions(language,
                    room.id() + "-" + streamId, room.settings().task(), () -> room.glossary().terms(),
                    engines.englishFromSpeech(), expected), stream, REPLAY_SECONDS,
                    metrics::recognizerRestarted);
            return new SpeakerIngest(stream, session, language);
        } catch (RecognizerException e) {
            stream.abandon();
            throw new IngestRefused(e.code(), e.getMessage());
        }
    }

    /**
     * The languages a speaker with {@code auto} said to expect, as the engine names them: at most
     * {@link #MAX_EXPECTED}, each one the engine recognises. Empty when the language is given
     * (nothing to choose among) or the engine does not identify languages.
     *
     * @throws IngestRefused {@code unsupported_language} naming the first the engine does not know
     */
    public static List<String> resolveExpected(String language, List<String> expected, SpeechRecognizer recognizer)
            throws IngestRefused {
        if (expected.isEmpty() || !SessionOptions.AUTO.equals(language) || !recognizer.identifiesLanguage()) {
            return List.of();
        }
        if (expected.size() > MAX_EXPECTED) {
            throw new IngestRefused(ErrorCodes.INVALID_REQUEST, "\"languages\" names at most " + MAX_EXPECTED
                    + " languages, not " + expected.size());
        }
        List<String> out = new ArrayList<>();
        for (String code : expected) {
            String known = LanguageCodes.canonical(code).filter(recognizer.languages()::contains).orElseThrow(() ->
                    new IngestRefused(ErrorCodes.UNSUPPORTED_LANGUAGE, "the " + recognizer.engine()
                            + " engine does not recognise '" + code + "' (in \"languages\")"));
            if (!out.contains(known)) {
                out.add(known);
            }
        }
        return List.copyOf(out);
    }

    /** The language a session will use for what a client asked, if the engine can serve it. */
    public static Optional<String> resolveLanguage(String requested, SpeechRecognizer recognizer) {
        if (SessionOptions.AUTO.equals(requested)) {
            if (recognizer.identifiesLanguage()) {
                return Optional.of(SessionOptions.AUTO);
            }
            // An engine that cannot identify languages serves auto with the one it knows.
            return recognizer.languages().size() == 1 ? recognizer.languages().stream().findFirst() : Optional.empty();
        }
        return LanguageCodes.canonical(requested).filter(recognizer.languages()::contains);
    }
}
