package io.parley.gateway.room;

import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.Utterance;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A speaker's audio stream in a room: takes its recognizer's results and publishes them as
 * the room's captions, numbering its utterances as room-wide segments.
 */
public final class SpeakerStream implements RecognitionListener {

    /** How the transport that carries the audio ends it when the room asks (closing, shutting down). */
    public interface Ending {
        /** Stop taking audio; recognise what was taken; then close the client with this reason. */
        void finish(String code, String message, short closeCode, long retryAfterMs);
    }

    private final Room room;
    private final String name;
    private final String language;
    private final CaptionSink echo;
    private final double startOffset;
    private final Map<Integer, Long> segments = new HashMap<>();
    private volatile Consumer<RecognizerException> onError = e -> { };
    private volatile Runnable onEnd = () -> { };
    private volatile Ending ending = (code, message, closeCode, retryAfterMs) -> { };

    SpeakerStream(Room room, String name, String language, CaptionSink echo, double startOffset) {
        this.room = room;
        this.name = name;
        this.language = language;
        this.echo = echo;
        this.startOffset = startOffset;
    }

    public String name() {
        return name;
    }

    public String language() {
        return language;
    }

    public Room room() {
        return room;
    }

    CaptionSink echo() {
        return echo;
    }

    /** Seconds from the room's creation to the start of this stream. */
    public double startOffset() {
        return startOffset;
    }

    /** What to do when the recognizer fails, when the stream has ended, and how to end it on request. */
    public void onLifecycle(Consumer<RecognizerException> errorHandler, Runnable endHandler, Ending endingHandler) {
        this.onError = errorHandler;
        this.onEnd = endHandler;
        this.ending = endingHandler;
    }

    /** The room asks the stream to end (see {@link Room#drain}). */
    void finish(String code, String message, short closeCode, long retryAfterMs) {
        ending.finish(code, message, closeCode, retryAfterMs);
    }

    private long segmentFor(int utterance) {
        return segments.computeIfAbsent(utterance, u -> room.allocateSegment());
    }

    @Override
    public void onPartial(Utterance partial) {
        room.publishPartial(this, segmentFor(partial.index()), partial);
    }

    @Override
    public void onFinal(Utterance fin) {
        room.publishFinal(this, segmentFor(fin.index()), fin);
        segments.remove(fin.index());
    }

    @Override
    public void onError(RecognizerException error) {
        onError.accept(error);
    }

    /** The stream's end is told once its last final has been committed and sent (see {@link Room#speakerEnded}). */
    @Override
    public void onEnd() {
        room.speakerEnded(this).whenComplete((v, e) -> onEnd.run());
    }

    /** Ends the stream without a recognizer, e.g. when the recognizer could not be opened. */
    public void abandon() {
        room.speakerEnded(this);
    }
}
