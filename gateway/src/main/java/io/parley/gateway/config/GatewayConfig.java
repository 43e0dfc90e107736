package io.parley.gateway.config;

import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.whisper.stream.StreamingConfig;
import io.parley.translate.apertium.ApertiumConfig;

import java.util.Optional;

/**
 * Everything the gateway needs to start, validated before anything is loaded.
 *
 * @param host        interface to listen on
 * @param port        TCP port; 0 picks a free one
 * @param asrEngine   the speech engine: {@code whisper}, {@code sphinx}, or {@code auto} (Whisper
 *                    where its weights are installed, else Sphinx)
 * @param whisper     Whisper's model, precision and streaming settings
 * @param sphinx      Sphinx4 tuning
 * @param apertium    where Apertium lives
 * @param limits      per-client limits
 * @param apiKey      if set, creating a room needs {@code Authorization: Bearer <apiKey>}
 * @param accelerator where the models' kernels run
 * @param webrtc      WebRTC ingest (WHIP)
 * @param neuralMt    neural translation models beside Apertium
 */
public record GatewayConfig(String host, int port, String asrEngine, StreamingConfig whisper, SphinxConfig sphinx,
                            ApertiumConfig apertium, Limits limits, Optional<String> apiKey,
                            AcceleratorConfig accelerator, WebRtcConfig webrtc, NeuralMtConfig neuralMt) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final java.util.List<String> ASR_ENGINES = java.util.List.of("auto", "whisper", "sphinx");

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (!ASR_ENGINES.contains(asrEngine)) {
            throw new IllegalArgumentException("unknown speech engine '" + asrEngine + "'; available: "
                    + String.join(", ", ASR_ENGINES));
        }
        if (whisper == null || sphinx == null || apertium == null || limits == null || apiKey == null || accelerator == null
                || webrtc == null || neuralMt == null) {
            throw new IllegalArgumentException("sphinx, apertium, limits, apiKey, accelerator and webrtc must be given");
        }
        if (apiKey.isPresent() && apiKey.get().length() < 16) {
            throw new IllegalArgumentException("an API key must be at least 16 characters long");
        }
    }

    public static GatewayConfig defaults() {
        return new GatewayConfig(DEFAULT_HOST, DEFAULT_PORT, "auto", StreamingConfig.defaults(), SphinxConfig.defaults(),
                ApertiumConfig.defaults(), Limits.defaults(), Optional.empty(), AcceleratorConfig.defaults(),
                WebRtcConfig.defaults(), NeuralMtConfig.defaults());
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(host, newPort, asrEngine, whisper, sphinx, apertium, limits, apiKey, accelerator, webrtc, neuralMt);
    }

    public GatewayConfig withLimits(Limits newLimits) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, newLimits, apiKey, accelerator, webrtc, neuralMt);
    }

    public GatewayConfig withSphinx(SphinxConfig newSphinx) {
        return new GatewayConfig(host, port, asrEngine, whisper, newSphinx, apertium, limits, apiKey, accelerator, webrtc, neuralMt);
    }

    public GatewayConfig withAsr(String engine) {
        return new GatewayConfig(host, port, engine, whisper, sphinx, apertium, limits, apiKey, accelerator, webrtc, neuralMt);
    }

    public GatewayConfig withWhisper(StreamingConfig newWhisper) {
        return new GatewayConfig(host, port, asrEngine, newWhisper, sphinx, apertium, limits, apiKey, accelerator, webrtc, neuralMt);
    }

    public GatewayConfig withWebRtc(WebRtcConfig newWebRtc) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, apiKey, accelerator, newWebRtc, neuralMt);
    }

    public GatewayConfig withNeuralMt(NeuralMtConfig newNeuralMt) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, apiKey, accelerator, webrtc,
                newNeuralMt);
    }

    public GatewayConfig withApiKey(String key) {
        return new GatewayConfig(host, port, asrEngine, whisper, sphinx, apertium, limits, Optional.ofNullable(key), accelerator, webrtc, neuralMt);
    }
}
