package io.parley.gateway.whip;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.parley.gateway.config.WebRtcConfig;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * libwebrtc in this process (through webrtc-java): one peer-connection factory for every WHIP
 * session, on an audio device module that touches no sound card.
 *
 * <p>The headless module matters for more than servers without audio hardware: remote audio in
 * libwebrtc is decoded (Opus, jitter buffer, concealment) only when the device module pulls it
 * for playout, and the headless module pulls every 10 ms into nothing — which is what hands each
 * remote track's PCM to its sinks.
 */
public final class WebRtcStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebRtcStack.class.getName());

    private final WebRtcConfig config;
    // Closing a peer connection from one of libwebrtc's own callbacks deadlocks; closes go here.
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "webrtc-control");
        t.setDaemon(true);
        return t;
    });
    private HeadlessAudioDeviceModule audioDevices;
    private PeerConnectionFactory factory;
    private String unavailable;

    private WebRtcStack(WebRtcConfig config) {
        this.config = config;
    }

    /**
     * Loads libwebrtc if WebRTC is enabled. A stack that cannot start is still returned: it says
     * why in {@link #unavailableReason()}, and the gateway serves everything else.
     */
    public static WebRtcStack start(WebRtcConfig config) {
        WebRtcStack stack = new WebRtcStack(config);
        if (!config.enabled()) {
            stack.unavailable = "WebRTC ingest is turned off (--webrtc off)";
            return stack;
        }
        try {
            stack.audioDevices = new HeadlessAudioDeviceModule();
            stack.factory = new PeerConnectionFactory(stack.audioDevices);
        } catch (Throwable e) { // UnsatisfiedLinkError on a platform without the native library, too
            LOG.log(Level.WARNING, "WebRTC could not start", e);
            stack.unavailable = "libwebrtc could not be loaded on this machine (" + e + ")";
        }
        return stack;
    }

    /** Why WHIP is refused, if it is. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }

    public WebRtcConfig config() {
        return config;
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    /** Runs a task off libwebrtc's threads. */
    void control(Runnable task) {
        control.execute(task);
    }

    /** A peer connection's settings: no STUN or TURN servers (host candidates only), this server's ports. */
    RTCConfiguration peerConfiguration() {
        RTCConfiguration rtc = new RTCConfiguration();
        if (config.minPort() > 0) {
            rtc.portAllocatorConfig = new PortAllocatorConfig(config.minPort(), config.maxPort(), 0);
        }
        return rtc;
    }

    @Override
    public void close() {
        control.shutdown();
        if (factory != null) {
            factory.dispose();
            audioDevices.dispose();
        }
    }
}
