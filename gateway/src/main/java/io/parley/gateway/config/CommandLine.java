package io.parley.gateway.config;

import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.stream.StreamingConfig;

import java.util.Optional;

/**
 * Turns {@code parley run} arguments into a {@link GatewayConfig}. Errors are messages for a
 * person: what was wrong and what is accepted.
 */
public final class CommandLine {

    public static final String USAGE = """
            usage: parley run [options]
              --port N             TCP port to listen on (default 8080; 0 picks a free port)
              --host ADDR          interface to listen on (default 127.0.0.1; 0.0.0.0 for all)
              --asr ENGINE         speech engine: whisper, sphinx, or auto (default: Whisper where
                                   its weights are installed, else Sphinx4)
              --asr-model M        Whisper model: base (default), tiny.en, small, or a folder
                                   holding model.bin, config.json and tokenizer.json
              --asr-precision P    Whisper weights: int8 (default), f16 or f32
              --asr-beam N         beam size of Whisper's final passes (default 1: greedy)
              --max-streams N      concurrent speaker streams (default: Whisper 8, Sphinx 4)
              --end-silence-ms N   silence that ends an utterance (default 500)
              --mt-model M         a neural translation model: a folder (model.*.bin, vocab.*.spm,
                                   lex.*.s2t.bin) or a cached name; repeatable; none for none
                                   (default: mt-enpt and mt-pten where installed)
              --mt-beam N          beam of the neural models (default: the model's own, greedy)
              --webrtc on|off      WebRTC ingest at POST /v1/rooms/{room}/whip (default on)
              --webrtc-ports A-B   UDP/TCP ports for WebRTC media (default: any free port)
              --api-key KEY        require this key to create rooms (also PARLEY_API_KEY)
              --accelerator NAME   where model kernels run: jvm (default), opencl, tornado
              --device NAME        OpenCL device, by part of its name (default: first GPU, else any)
              --threads N          JVM backend threads (default: one per core)
              --help               print this
            """;

    /** The arguments asked for help rather than a configuration. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super(USAGE);
        }
    }

    private CommandLine() {
    }

    public static GatewayConfig parse(String[] args) {
        GatewayConfig base = GatewayConfig.defaults();
        String host = base.host();
        int port = base.port();
        String asr = base.asrEngine();
        SphinxConfig sphinx = base.sphinx();
        StreamingConfig whisper = base.whisper();
        Optional<String> apiKey = Optional.ofNullable(System.getenv("PARLEY_API_KEY")).filter(s -> !s.isBlank());
        String backend = base.accelerator().backend();
        String device = base.accelerator().device();
        int threads = base.accelerator().threads();
        WebRtcConfig webrtc = base.webrtc();
        NeuralMtConfig neuralMt = base.neuralMt();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--port" -> port = integer(a, value(args, ++i, a));
                case "--host" -> host = value(args, ++i, a);
                case "--asr" -> asr = value(args, ++i, a);
                case "--asr-model" -> whisper = whisper.withModel(value(args, ++i, a), whisper.precision());
                case "--asr-precision" -> whisper = whisper.withModel(whisper.model(), Precision.parse(value(args, ++i, a)));
                case "--asr-beam" -> whisper = whisper.withBeamSize(integer(a, value(args, ++i, a)));
                case "--max-streams" -> {
                    int n = integer(a, value(args, ++i, a));
                    sphinx = sphinx.withMaxSessions(n, Math.min(sphinx.preloadedDecoders(), n));
                    whisper = whisper.withMaxSessions(n);
                }
                case "--end-silence-ms" -> {
                    int ms = integer(a, value(args, ++i, a));
                    sphinx = sphinx.withEndSilenceMs(ms);
                    whisper = whisper.withVad(whisper.vad().withMinSilenceMs(ms));
                }
                case "--webrtc" -> webrtc = webrtc.withEnabled(switch (value(args, ++i, a)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--webrtc takes on or off, not '" + args[i] + "'");
                });
                case "--mt-model" -> neuralMt = neuralMt.withModel(value(args, ++i, a));
                case "--mt-beam" -> neuralMt = neuralMt.withBeamSize(integer(a, value(args, ++i, a)));
                case "--webrtc-ports" -> webrtc = webrtc.withPorts(value(args, ++i, a));
                case "--api-key" -> apiKey = Optional.of(value(args, ++i, a));
                case "--accelerator" -> backend = value(args, ++i, a);
                case "--device" -> device = value(args, ++i, a);
                case "--threads" -> threads = integer(a, value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        return new GatewayConfig(host, port, asr, whisper, sphinx, base.apertium(), base.limits(), apiKey,
                new AcceleratorConfig(backend, threads, device), webrtc, neuralMt);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + v + "'");
        }
    }
}
