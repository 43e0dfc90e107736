package io.parley.gateway.whip;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;

import java.net.Inet4Address;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One WebRTC peer connection answering a WHIP offer: it receives the client's audio track and
 * hands its decoded PCM to a sink. Negotiation is not trickled: the answer is sent once
 * libwebrtc has opened the session's UDP port, carrying every candidate (written by
 * {@link AnswerSdp} for the addresses {@link MediaAddresses} chose), as RFC 9725 allows a server
 * that does not support PATCH.
 */
final class WhipPeer {

    /** No address to offer, or no UDP port that libwebrtc could open: the offer cannot be answered usefully. */
    static final class NoCandidates extends RuntimeException {
        NoCandidates(String message) {
            super(message);
        }
    }

    private final WebRtcStack stack;
    private final AudioTrackSink sink;
    private final Consumer<RTCPeerConnectionState> onState;
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private RTCPeerConnection pc;
    private int port;
    private List<Inet4Address> addresses;
    private volatile AudioTrack track;
    private volatile boolean closed;

    private WhipPeer(WebRtcStack stack, AudioTrackSink sink, Consumer<RTCPeerConnectionState> onState) {
        this.stack = stack;
        this.sink = sink;
        this.onState = onState;
    }

    /**
     * Takes an offer and produces the answer.
     *
     * @param sink    receives the remote audio: 16-bit PCM, 10 ms per call, on libwebrtc's audio thread
     * @param onState connection state changes, on libwebrtc's signaling thread
     * @return the peer with its answer; fails with {@link IllegalArgumentException} when
     * libwebrtc refuses the offer, {@link NoCandidates} when there is nothing to offer
     */
    static CompletableFuture<WhipPeer> answer(WebRtcStack stack, String offerSdp, AudioTrackSink sink,
                                              Consumer<RTCPeerConnectionState> onState) {
        WhipPeer peer = new WhipPeer(stack, sink, onState);
        peer.addresses = stack.addresses().current();
        if (peer.addresses.isEmpty()) {
            return CompletableFuture.failedFuture(new NoCandidates("no network interface chosen for WebRTC media has an"
                    + " IPv4 address up now (" + stack.addresses().describe() + ")"));
        }
        var reserved = stack.ports().reserve();
        if (reserved.isEmpty()) {
            return CompletableFuture.failedFuture(new NoCandidates(stack.config().minPort() > 0
                    ? "every UDP port of --webrtc-ports " + stack.config().minPort() + "-" + stack.config().maxPort() + " is in use"
                    : "no free UDP port for media"));
        }
        peer.port = reserved.get();
        try {
            peer.pc = stack.factory().createPeerConnection(stack.peerConfiguration(peer.port), peer.observer());
        } catch (RuntimeException | Error e) {
            stack.ports().release(peer.port);
            throw e;
        }
        CompletableFuture<Void> remote = new CompletableFuture<>();
        peer.pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offerSdp), SdpFutures.set(remote));
        return remote
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        new IllegalArgumentException("the offer was refused: " + e.getMessage())))
                .thenCompose(v -> {
                    CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
                    peer.pc.createAnswer(new RTCAnswerOptions(), SdpFutures.created(answer, "no answer to this offer"));
                    return answer;
                })
                .thenCompose(answer -> {
                    CompletableFuture<Void> local = new CompletableFuture<>();
                    peer.pc.setLocalDescription(answer, SdpFutures.set(local));
                    return local;
                })
                .thenCompose(v -> peer.gathered
                        .orTimeout(stack.config().gatherTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        // Candidates found so far are in the local description: answer with those.
                        .exceptionally(e -> {
                            if (e instanceof TimeoutException) {
                                return null;
                            }
                            throw new IllegalStateException(e);
                        }))
                .thenApply(v -> {
                    // The port was free when reserved; if libwebrtc lost it to another program since, it holds nothing.
                    if (MediaPorts.isFree(peer.port)) {
                        throw new NoCandidates("libwebrtc could not open UDP port " + peer.port + " for media");
                    }
                    return peer;
                })
                .whenComplete((p, e) -> {
                    if (e != null) {
                        peer.close();
                    }
                });
    }

    /** The SDP answer, with this side's ICE candidates and without trickle ICE. */
    String answerSdp() {
        return AnswerSdp.rewrite(pc.getLocalDescription().sdp, addresses, port);
    }

    /** Stops receiving; idempotent, and safe to call from any thread. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean queued = stack.control(() -> {
            try {
                AudioTrack t = track;
                if (t != null) {
                    t.removeSink(sink);
                }
                pc.close();
            } finally {
                stack.ports().release(port);
            }
        });
        if (!queued) {
            stack.ports().release(port); // the stack is closed: libwebrtc and its sockets are gone
        }
    }

    private PeerConnectionObserver observer() {
        return new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                // Not trickled: candidates reach the client inside the answer.
            }

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                onState.accept(state);
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                MediaStreamTrack t = transceiver.getReceiver().getTrack();
                // One microphone per session: the first audio track is the speaker; others are ignored.
                if (t instanceof AudioTrack audio && track == null && !closed) {
                    track = audio;
                    audio.addSink(sink);
                }
            }
        };
    }
}
