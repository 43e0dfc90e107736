package io.parley.gateway.e2e;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.RTCRtpTransceiverInit;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import io.parley.gateway.whip.SdpFutures;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.List;

/**
 * A WHIP client built on libwebrtc (webrtc-java), as a native app or an encoder would be: it
 * offers one send-only audio track, POSTs the offer, applies the answer, and pushes PCM into the
 * track at real-time pace; libwebrtc encodes it with Opus and sends it over ICE on this host.
 */
final class WhipClient implements AutoCloseable {

    static final int RATE = 16_000;
    static final int FRAME = RATE / 100; // libwebrtc takes audio in 10 ms frames

    private static PeerConnectionFactory factory;

    private final HttpClient http = HttpClient.newHttpClient();
    private final CustomAudioSource source;
    private final RTCPeerConnection pc;
    private final String token;
    final List<RTCPeerConnectionState> states = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private URI location;
    private long startNanos;
    private long framesSent;

    private static synchronized PeerConnectionFactory factory() {
        if (factory == null) {
            // The dummy audio layer captures nothing: the headless module would push its own
            // (silent) recording into the send stream beside CustomAudioSource, from another
            // thread, which libwebrtc's race checker aborts on.
            factory = new PeerConnectionFactory(new AudioDeviceModule(AudioLayer.kDummyAudio));
        }
        return factory;
    }

    private WhipClient(String token, boolean anyAddress) {
        this.token = token;
        // The factory first: creating it loads libwebrtc, which the audio source needs.
        PeerConnectionFactory f = factory();
        this.source = new CustomAudioSource();
        RTCConfiguration rtc = new RTCConfiguration();
        if (anyAddress) {
            // On a host with only loopback libwebrtc finds no interface to gather on; a client
            // there must send from the wildcard address (a shared socket) to the server's candidate.
            rtc.portAllocatorConfig = new PortAllocatorConfig(0, 0, PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION
                    | PortAllocatorConfig.PORTALLOCATOR_ENABLE_SHARED_SOCKET);
        }
        this.pc = f.createPeerConnection(rtc, new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
            }

            @Override
            public void onIceGatheringChange(RTCIceGatheringState state) {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                states.add(state);
                if (state == RTCPeerConnectionState.CONNECTED) {
                    connected.complete(null);
                }
            }
        });
        AudioTrack track = f.createAudioTrack("microphone", source);
        RTCRtpTransceiverInit init = new RTCRtpTransceiverInit();
        init.direction = RTCRtpTransceiverDirection.SEND_ONLY;
        pc.addTransceiver(track, init);
    }

    /** The offer this client would POST, with its candidates. */
    static WhipClient create(String token) throws Exception {
        return create(token, false);
    }

    /** A client that gathers no candidate of its own and sends from the wildcard address (for a loopback-only host). */
    static WhipClient create(String token, boolean anyAddress) throws Exception {
        WhipClient c = new WhipClient(token, anyAddress);
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        c.pc.createOffer(new RTCOfferOptions(), SdpFutures.created(offer, "no offer"));
        CompletableFuture<Void> set = new CompletableFuture<>();
        c.pc.setLocalDescription(offer.get(10, TimeUnit.SECONDS), SdpFutures.set(set));
        set.get(10, TimeUnit.SECONDS);
        c.gathered.get(10, TimeUnit.SECONDS);
        return c;
    }

    String offerSdp() {
        return pc.getLocalDescription().sdp;
    }

    /** POSTs the offer; on 201 applies the answer and waits for the connection. */
    HttpResponse<String> publish(String whipUrl, String language, String speaker) throws Exception {
        String url = whipUrl + "?language=" + URLEncoder.encode(language, StandardCharsets.UTF_8)
                + "&speaker=" + URLEncoder.encode(speaker, StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(offerSdp())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
            location = URI.create(url).resolve(r.headers().firstValue("Location").orElseThrow());
            CompletableFuture<Void> set = new CompletableFuture<>();
            pc.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, r.body()), SdpFutures.set(set));
            set.get(10, TimeUnit.SECONDS);
            connected.get(15, TimeUnit.SECONDS);
            startNanos = System.nanoTime();
        }
        return r;
    }

    URI location() {
        return location;
    }

    /** Seconds of audio pushed so far: the position on the speaker's stream. */
    double position() {
        return framesSent * FRAME / (double) RATE;
    }

    /** Pushes 16 kHz mono PCM, 10 ms at a time, no faster than real time. */
    void send(short[] pcm) throws InterruptedException {
        byte[] frame = new byte[FRAME * 2];
        for (int off = 0; off + FRAME <= pcm.length; off += FRAME) {
            for (int i = 0; i < FRAME; i++) {
                short v = pcm[off + i];
                frame[2 * i] = (byte) v;
                frame[2 * i + 1] = (byte) (v >> 8);
            }
            long due = startNanos + framesSent * 10_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            source.pushAudio(frame, 16, RATE, 1, FRAME);
            framesSent++;
        }
    }

    void sendSilence(double seconds) throws InterruptedException {
        send(new short[(int) (seconds * RATE)]);
    }

    /** DELETE on the session's Location: the status the server answered. */
    int delete() throws Exception {
        return http.send(HttpRequest.newBuilder(location).header("Authorization", "Bearer " + token).DELETE().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Override
    public void close() {
        pc.close();
        source.dispose();
    }
}
