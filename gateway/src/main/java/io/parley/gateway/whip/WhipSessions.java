package io.parley.gateway.whip;

import io.parley.gateway.engines.Engines;
import io.parley.gateway.ingest.IngestRefused;
import io.parley.gateway.ingest.SpeakerIngest;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.room.Room;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WHIP sessions of the server: opening one (offer → recognizer stream → answer), finding it
 * again for DELETE, and ending those whose client vanished without one.
 */
public final class WhipSessions implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WhipSessions.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session that was opened, with the SDP answer for its client. */
    public record Opened(WhipSession session, String answerSdp, String language) {
    }

    private final WebRtcStack stack;
    private final Engines engines;
    private final GatewayMetrics metrics;
    /** Where what blocks runs: recognizer sessions opening, libwebrtc's calls. */
    private final java.util.concurrent.Executor blocking;
    private final Map<String, WhipSession> sessions = new ConcurrentHashMap<>();

    public WhipSessions(WebRtcStack stack, Engines engines, GatewayMetrics metrics, java.util.concurrent.Executor blocking) {
        this.stack = stack;
        this.engines = engines;
        this.metrics = metrics;
        this.blocking = blocking;
    }

    public Optional<String> unavailableReason() {
        return stack.unavailableReason();
    }

    /** Where media is offered (for the start-up listing); empty when WebRTC is off. */
    public Optional<String> mediaAddresses() {
        return stack.mediaAddresses();
    }

    public int size() {
        return sessions.size();
    }

    public Optional<WhipSession> get(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /**
     * Opens a speaker stream in a room from a WHIP offer. Fails with {@link IngestRefused}
     * carrying the error code: {@code bad_sdp}, {@code unsupported_language},
     * {@code capacity_reached}, {@code webrtc_unavailable} or the recognizer's own.
     */
    public CompletableFuture<Opened> open(Room room, String offerSdp, String language, List<String> languages,
                                         String speaker) {
        // Opening a recognizer session and libwebrtc's calls block: never on the caller's (event loop) thread.
        return CompletableFuture.supplyAsync(() -> {
            try {
                return openBlocking(room, offerSdp, language, languages, speaker);
            } catch (IngestRefused e) {
                throw new CompletionException(e);
            }
        }, blocking).thenCompose(f -> f);
    }

    private CompletableFuture<Opened> openBlocking(Room room, String offerSdp, String language, List<String> languages,
                                                 String speaker)
            throws IngestRefused {
        if (stack.unavailableReason().isPresent()) {
            throw new IngestRefused(ErrorCodes.WEBRTC_UNAVAILABLE, stack.unavailableReason().get()
                    + "; stream over the speaker WebSocket instead");
        }
        if (sessions.size() >= stack.config().maxSessions()) {
            throw new IngestRefused(ErrorCodes.CAPACITY, "the server has as many WebRTC sessions as it allows ("
                    + stack.config().maxSessions() + ")");
        }
        try {
            SdpOffer.check(offerSdp);
        } catch (SdpOffer.Invalid e) {
            throw new IngestRefused(ErrorCodes.BAD_SDP, e.getMessage());
        }
        String id = newId();
        WhipSession session = new WhipSession(id, room, metrics, () -> sessions.remove(id));
        SpeakerIngest ingest = SpeakerIngest.open(room, engines, metrics, language, languages, speaker, session, "whip-" + id,
                e -> LOG.log(Level.WARNING, "recognizer failed in WHIP session " + id + ": " + e.getMessage()),
                () -> { }, (code, message, closeCode, retryAfterMs) -> blocking.execute(() -> session.end(message)));
        sessions.put(id, session);
        CompletableFuture<WhipPeer> answered;
        try {
            answered = WhipPeer.answer(stack, offerSdp, session, session::onConnectionState);
        } catch (RuntimeException | Error e) {
            // libwebrtc refused before it even answered: nothing may stay behind.
            answered = CompletableFuture.failedFuture(e);
        }
        return answered.handle((peer, error) -> {
            if (error != null) {
                sessions.remove(id);
                ingest.session().abort();
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                if (cause instanceof WhipPeer.NoCandidates) {
                    throw new CompletionException(new IngestRefused(ErrorCodes.NO_ICE_CANDIDATES,
                            "this server has no address to receive WebRTC media on: " + cause.getMessage()
                                    + "; stream over the speaker WebSocket instead"));
                }
                throw new CompletionException(new IngestRefused(ErrorCodes.BAD_SDP,
                        "WebRTC could not answer this offer: " + cause.getMessage()));
            }
            session.attach(ingest, peer);
            return new Opened(session, peer.answerSdp(), ingest.language());
        });
    }

    /**
     * Ends sessions whose peer has stayed disconnected longer than the grace period, and those
     * whose ICE never connected within the connect deadline (an answer the client never used, or
     * no route between the two). Their audio so far is still recognised and their slots are
     * released. Closing a peer blocks, so this runs on the blocking pool.
     */
    public void endAbandoned() {
        blocking.execute(() -> {
            long now = System.nanoTime();
            long grace = stack.config().disconnectGrace().toNanos();
            long deadline = stack.config().connectTimeout().toNanos();
            for (WhipSession s : sessions.values()) {
                if (s.disconnectedFor(now) > grace) {
                    s.end("the client stayed disconnected for " + stack.config().disconnectGrace().toSeconds() + " s");
                } else if (s.neverConnectedFor(now) > deadline) {
                    metrics.error(ErrorCodes.ICE_TIMEOUT);
                    s.end("ICE did not connect within " + stack.config().connectTimeout().toMillis() + " ms of the answer");
                }
            }
        });
    }

    /**
     * Ends every session, as a shutdown's first step: no more audio is taken, every sample taken
     * is still recognised and its final delivered by the rooms' drain that follows, and each
     * peer's close is queued on libwebrtc's control thread ahead of the stack's disposal.
     */
    public void endAll(String why) {
        for (WhipSession s : sessions.values()) {
            s.end(why);
        }
    }

    /** Ends a session for its client's DELETE, off the caller's thread; completes when it is ended. */
    public CompletableFuture<Void> endAsync(WhipSession session, String why) {
        return CompletableFuture.runAsync(() -> session.end(why), blocking);
    }

    /** Ends every session (their audio is still recognised) and releases libwebrtc. */
    @Override
    public void close() {
        endAll("the server is shutting down");
        stack.close();
    }

    private static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
