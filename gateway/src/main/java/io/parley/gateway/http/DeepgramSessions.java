package io.parley.gateway.http;

import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizedWord;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a Deepgram live stream's recognizer sessions come from: the recognizer itself, or, with
 * {@code room=ID}, a speaker stream in that Parley room, so that widget viewers read the same
 * speech live in their languages while the Deepgram client gets its {@code Results}. In a room,
 * every final is committed to the store before the client sees it, as for any speaker.
 */
interface DeepgramSessions {

    /** Opens a session that reports to {@code listener}; blocks. */
    RecognizerSession open(RecognitionListener listener) throws RecognizerException;

    /** A session of the recognizer alone. */
    static DeepgramSessions direct(Engines engines, DeepgramOptions options, String streamId) {
        return listener -> engines.recognizer().open(new SessionOptions(options.language(), streamId,
                SessionOptions.Task.TRANSCRIBE, options::hints), listener);
    }

    /**
     * A speaker stream in {@code room}. Its captions reach the listener as the room publishes
     * them (partials and committed finals, in the language spoken); {@code onRoomEnding} is told
     * when the room ends the stream (a shutdown, the room closing).
     */
    static DeepgramSessions inRoom(Room room, Engines engines, GatewayMetrics metrics, DeepgramOptions options, String speaker,
                                   String streamId, Consumer<String> onRoomEnding) {
        return listener -> {
            CaptionSink echo = caption -> {
                Utterance u = utterance(caption);
                if (caption.isFinal()) {
                    listener.onFinal(u);
                } else {
                    listener.onPartial(u);
                }
            };
            try {
                return SpeakerIngest.open(room, engines, metrics, options.language(), java.util.List.of(), speaker, echo, streamId,
                        listener::onError, listener::onEnd,
                        (code, message, closeCode, retryAfterMs) -> onRoomEnding.accept(message)).session();
            } catch (IngestRefused e) {
                throw new RecognizerException(e.code(), e.getMessage());
            }
        };
    }

    /** A room caption as the utterance it came from, its times on the stream's clock. */
    private static Utterance utterance(Caption c) {
        double offset = c.streamOffset();
        List<RecognizedWord> words = new ArrayList<>(c.words().size());
        for (RecognizedWord w : c.words()) {
            words.add(new RecognizedWord(w.word(), offset + w.start(), offset + w.end(), w.confidence()));
        }
        return new Utterance((int) c.segment(), c.text(), c.lang(), offset + c.start(), offset + c.end(), words);
    }
}
