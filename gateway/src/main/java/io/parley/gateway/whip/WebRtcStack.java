package io.parley.gateway.whip;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PortAllocatorConfig;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.parley.gateway.config.WebRtcConfig;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Every call that tears something down (a peer's close, the factory's disposal) runs on one
 * control thread of ours, in order: never on libwebrtc's own threads (closing from one of its
 * callbacks deadlocks), and the factory only after every peer queued before it is closed
 * (disposing it under a peer that still has a sink crashes the process).
 */
public final class WebRtcStack implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebRtcStack.class.getName());

    private final WebRtcConfig config;
    private final MediaAddresses addresses;
    private final MediaPorts ports;
    private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "webrtc-control");
        t.setDaemon(true);
        return t;
    });
    private HeadlessAudioDeviceModule audioDevices;
    private PeerConnectionFactory factory;
    private String unavailable;
    private boolean closed;

    private WebRtcStack(WebRtcConfig config, MediaAddresses addresses) {
        this.config = config;
        this.addresses = addresses;
        this.ports = new MediaPorts(config.minPort(), config.maxPort());
    }

    /**
     * The media addresses a gateway listening on {@code listenHost} would offer, checked: a
     * {@code --webrtc-interfaces} entry that names nothing on this host stops the start here,
     * before the engines load.
     *
     * @throws IllegalArgumentException saying what does not exist
     */
    public static MediaAddresses addresses(WebRtcConfig config, String listenHost) {
        return MediaAddresses.of(MediaAddresses.Host.system(), listenHost, config.interfaces());
    }

    /**
     * Loads libwebrtc if WebRTC is enabled. A stack that cannot start is still returned: it says
     * why in {@link #unavailableReason()}, and the gateway serves everything else.
     */
    public static WebRtcStack start(WebRtcConfig config, String listenHost) {
        WebRtcStack stack = new WebRtcStack(config, config.enabled() ? addresses(config, listenHost) : null);
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

    /** Where media is offered, for the start-up listing; empty when WebRTC is off. */
    public Optional<String> mediaAddresses() {
        return unavailable != null ? Optional.empty() : Optional.of(addresses.describe());
    }

    PeerConnectionFactory factory() {
        return factory;
    }

    MediaAddresses addresses() {
        return addresses;
    }

    MediaPorts ports() {
        return ports;
    }

    /**
     * Runs a teardown task on the control thread, after every one queued before it; false (and
     * nothing run) once the stack is closed, when libwebrtc is gone and nothing is left to tear down.
     */
    boolean control(Runnable task) {
        try {
            control.execute(task);
            return true;
        } catch (RejectedExecutionException closedAlready) {
            return false;
        }
    }

    /**
     * A peer connection's settings. No STUN or TURN servers, and libwebrtc does not enumerate
     * interfaces: it binds one UDP socket on the wildcard address at exactly {@code port}, which
     * it may use even though it offers no candidate of its own (a shared socket), and
     * {@link AnswerSdp} writes the candidates {@link MediaAddresses} chose. TCP is left out: a
     * passive TCP candidate needs a second listening port per session, and every WHIP client
     * offers UDP.
     */
    RTCConfiguration peerConfiguration(int port) {
        RTCConfiguration rtc = new RTCConfiguration();
        rtc.portAllocatorConfig = new PortAllocatorConfig(port, port, PortAllocatorConfig.PORTALLOCATOR_DISABLE_ADAPTER_ENUMERATION
                | PortAllocatorConfig.PORTALLOCATOR_DISABLE_DEFAULT_LOCAL_CANDIDATE
                | PortAllocatorConfig.PORTALLOCATOR_ENABLE_SHARED_SOCKET
                | PortAllocatorConfig.PORTALLOCATOR_DISABLE_TCP);
        return rtc;
    }

    /**
     * Releases libwebrtc: the peers' closes already queued run first, then the factory and the
     * audio device module are disposed on the same thread, and this returns once that thread has
     * finished (bounded, so that a stop cannot hang on a native call). Sessions must be ended
     * before this, so that no new close is queued behind the disposal.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (factory != null) {
            control(() -> {
                factory.dispose();
                audioDevices.dispose();
            });
        }
        control.shutdown();
        try {
            if (!control.awaitTermination(15, TimeUnit.SECONDS)) {
                LOG.warning("libwebrtc did not release its sessions within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
