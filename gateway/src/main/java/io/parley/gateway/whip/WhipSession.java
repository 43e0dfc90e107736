package io.parley.gateway.whip;

import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.speech.audio.AudioDecoder;
import io.parley.speech.audio.AudioEncoding;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.AudioStreamFormat;
import io.parley.speech.recognizer.RecognizerException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A speaker streaming over WebRTC: the PCM libwebrtc decodes from the client's Opus track is
 * resampled to 16 kHz and fed to the same kind of recognizer session as WebSocket audio.
 *
 * <p>The session ends when the client sends DELETE, when the connection fails or closes, or when
 * it stays disconnected past the grace period. However it ends, every sample already taken is
 * still recognised and the last utterance ends in a final. WHIP has no channel back to the
 * client; a speaker reads its own captions on a viewer socket, like anyone else.
 */
public final class WhipSession implements CaptionSink, AudioTrackSink {

    private static final Logger LOG = Logger.getLogger(WhipSession.class.getName());

    private final String id;
    private final Room room;
    private final GatewayMetrics metrics;
    private final Runnable onClosed;
    private SpeakerIngest ingest;
    private WhipPeer peer;
    // The decoder follows the format libwebrtc delivers (48 kHz from Opus, mono or stereo).
    private AudioDecoder decoder;
    private int decoderRate;
    private int decoderChannels;
    private boolean ended;
    private long lastDropLogNanos;
    private volatile long disconnectedSince = -1;
    private final long createdNanos = System.nanoTime();
    private volatile boolean everConnected;

    WhipSession(String id, Room room, GatewayMetrics metrics, Runnable onClosed) {
        this.id = id;
        this.room = room;
        this.metrics = metrics;
        this.onClosed = onClosed;
    }

    public String id() {
        return id;
    }

    public Room room() {
        return room;
    }

    synchronized void attach(SpeakerIngest newIngest, WhipPeer newPeer) {
        this.ingest = newIngest;
        this.peer = newPeer;
    }

    /** Remote audio from libwebrtc's audio thread: 10 ms of 16-bit PCM per call. */
    @Override
    public synchronized void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frames) {
        if (ended || ingest == null) {
            return;
        }
        if (bitsPerSample != 16) {
            dropped("libwebrtc delivered " + bitsPerSample + "-bit audio; only 16-bit PCM is taken");
            return;
        }
        float[] samples;
        try {
            if (decoder == null || sampleRate != decoderRate || channels != decoderChannels) {
                decoder = AudioDecoder.create(new AudioStreamFormat(AudioEncoding.PCM_S16LE, sampleRate, channels));
                decoderRate = sampleRate;
                decoderChannels = channels;
            }
            samples = decoder.decode(data.length == frames * channels * 2 ? data
                    : java.util.Arrays.copyOf(data, frames * channels * 2));
        } catch (AudioFormatException e) {
            dropped(e.getMessage());
            return;
        }
        try {
            ingest.session().accept(samples, 0, samples.length);
            metrics.audioFrameAccepted();
        } catch (RecognizerException e) {
            // Only the recognizer falling behind gets here; this audio is not taken, like a refused frame.
            metrics.error(e.code());
            dropped(e.getMessage());
        } catch (RuntimeException e) {
            // The recognizer session ended under a frame already on its way (a shutdown's drain, a
            // room closing). Nothing may be thrown back into libwebrtc's audio thread: an exception
            // there aborts the whole process. The frame has nowhere to go and is dropped.
            dropped("the recognizer session has ended (" + e.getMessage() + ")");
        }
    }

    /** Connection state from libwebrtc: failure or close ends the stream; a disconnection gets a grace period. */
    void onConnectionState(RTCPeerConnectionState state) {
        switch (state) {
            case CONNECTED -> {
                everConnected = true;
                disconnectedSince = -1;
            }
            case DISCONNECTED -> disconnectedSince = System.nanoTime();
            case FAILED, CLOSED -> end("the WebRTC connection " + state.name().toLowerCase(java.util.Locale.ROOT));
            default -> { }
        }
    }

    /** Whether the stream has ended (by DELETE, the connection, a deadline or a shutdown). */
    public synchronized boolean ended() {
        return ended;
    }

    /** Nanoseconds since the session was answered if its peer never connected, else -1. */
    long neverConnectedFor(long now) {
        return everConnected ? -1 : now - createdNanos;
    }

    /** Nanoseconds since the peer disconnected, or -1 while it is connected. */
    long disconnectedFor(long now) {
        long since = disconnectedSince;
        return since < 0 ? -1 : now - since;
    }

    /**
     * Ends the stream: no more audio is taken, everything taken is still recognised. Idempotent.
     */
    public void end(String why) {
        WhipPeer toClose;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            toClose = peer;
            if (ingest != null) {
                LOG.fine(() -> "WHIP session " + id + " in room " + room.id() + " ends: " + why);
                ingest.session().finish();
            }
        }
        if (toClose != null) {
            toClose.close();
        }
        onClosed.run();
    }

    private void dropped(String why) {
        long now = System.nanoTime();
        if (now - lastDropLogNanos > 5_000_000_000L) {
            lastDropLogNanos = now;
            LOG.log(Level.WARNING, "WHIP session " + id + ": audio not used: " + why);
        }
    }

    /** The speaker's own captions: WHIP has no channel back, so none are sent here. */
    @Override
    public void send(Caption caption) {
    }
}
