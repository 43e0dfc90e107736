package io.parley.gateway.config;

import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.speech.sphinx.SphinxConfig;

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
              --asr sphinx         speech engine (default sphinx)
              --max-streams N      concurrent speaker streams (default 4; each holds a decoder)
              --end-silence-ms N   silence that ends an utterance (default 500)
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
        Optional<String> apiKey = Optional.ofNullable(System.getenv("PARLEY_API_KEY")).filter(s -> !s.isBlank());
        String backend = base.accelerator().backend();
        String device = base.accelerator().device();
        int threads = base.accelerator().threads();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--port" -> port = integer(a, value(args, ++i, a));
                case "--host" -> host = value(args, ++i, a);
                case "--asr" -> asr = value(args, ++i, a);
                case "--max-streams" -> {
                    int n = integer(a, value(args, ++i, a));
                    sphinx = sphinx.withMaxSessions(n, Math.min(sphinx.preloadedDecoders(), n));
                }
                case "--end-silence-ms" -> sphinx = sphinx.withEndSilenceMs(integer(a, value(args, ++i, a)));
                case "--api-key" -> apiKey = Optional.of(value(args, ++i, a));
                case "--accelerator" -> backend = value(args, ++i, a);
                case "--device" -> device = value(args, ++i, a);
                case "--threads" -> threads = integer(a, value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        return new GatewayConfig(host, port, asr, sphinx, base.apertium(), base.limits(), apiKey,
                new AcceleratorConfig(backend, threads, device));
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
