package io.parley.gateway.config;

import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.speech.sphinx.SphinxConfig;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.stream.StreamingConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns {@code parley run} arguments (and a {@code --config} file's) into a {@link GatewayConfig}.
 * Errors are messages for a person: what was wrong and what is accepted.
 */
public final class CommandLine {

    public static final String USAGE = usage();

    /** The arguments asked for help rather than a configuration. */
    public static final class HelpRequested extends RuntimeException {
        private final String text;

        public HelpRequested(String text) {
            super(text);
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private CommandLine() {
    }

    private static String usage() {
        try (InputStream in = CommandLine.class.getResourceAsStream("/io/parley/gateway/usage.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return "usage: parley run [options] (the option list is missing from this build)\n";
        }
    }

    public static GatewayConfig parse(String[] args) {
        List<String> all = new ArrayList<>();
        // A config file's options come first, so that the command line overrides them.
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                all.addAll(configFile(value(args, i + 1, "--config")));
            }
        }
        all.addAll(List.of(args));
        return parse(all);
    }

    private static GatewayConfig parse(List<String> args) {
        GatewayConfig c = GatewayConfig.defaults();
        String apiKeyEnv = System.getenv("PARLEY_API_KEY");
        if (apiKeyEnv != null && !apiKeyEnv.isBlank()) {
            c = c.withApiKey(apiKeyEnv.strip());
        }
        StreamingConfig whisper = c.whisper();
        SphinxConfig sphinx = c.sphinx();
        AcceleratorConfig acc = c.accelerator();
        String backend = acc.backend();
        String device = acc.device();
        int threads = acc.threads();
        Path tlsCert = null;
        Path tlsKey = null;
        // The fleet's options are checked together once all are read (one may need another).
        boolean clusterOn = false;
        List<String> members = new ArrayList<>();
        int clusterPort = ClusterConfig.DEFAULT_PORT;
        String clusterHost = "127.0.0.1";
        Path hazelcastFile = null;
        String role = "all";
        String[] a = args.toArray(String[]::new);
        for (int i = 0; i < a.length; i++) {
            String o = a[i];
            switch (o) {
                case "--help", "-h" -> throw new HelpRequested(USAGE);
                case "--help-limits" -> throw new HelpRequested("limits (--limit NAME=VALUE), with their defaults:\n  "
                        + String.join("\n  ", LimitOverrides.describe(GatewayConfig.defaults())) + "\n");
                case "--config" -> i++; // read above
                case "--port" -> c = c.withPort(integer(o, value(a, ++i, o)));
                case "--host" -> c = c.withHost(value(a, ++i, o));
                case "--data" -> c = c.withStore(c.store().withDataDir(Path.of(value(a, ++i, o))));
                case "--store" -> c = c.withStore(c.store().withStore(value(a, ++i, o)));
                case "--api-key" -> c = c.withApiKey(value(a, ++i, o));
                case "--jwt-key" -> c = c.withSecurity(c.security().withJwtKey(value(a, ++i, o)));
                case "--token-ttl" -> c = c.withSecurity(c.security().withTokenTtl(Durations.parse(o, value(a, ++i, o))));
                case "--max-token-lifetime" -> c = c.withSecurity(
                        c.security().withMaxTokenLifetime(Durations.parse(o, value(a, ++i, o))));
                case "--tls-cert" -> tlsCert = Path.of(value(a, ++i, o));
                case "--tls-key" -> tlsKey = Path.of(value(a, ++i, o));
                case "--insecure-open" -> c = c.withSecurity(c.security().withInsecureOpen(true));
                case "--limit" -> c = LimitOverrides.apply(c, value(a, ++i, o));
                case "--asr" -> c = c.withAsr(value(a, ++i, o));
                case "--asr-model" -> whisper = whisper.withModel(value(a, ++i, o), whisper.precision());
                case "--asr-precision" -> whisper = whisper.withModel(whisper.model(), Precision.parse(value(a, ++i, o)));
                case "--asr-beam" -> whisper = whisper.withBeamSize(integer(o, value(a, ++i, o)));
                case "--asr-policy" -> whisper = whisper.withAgreement(StreamingConfig.Agreement.parse(value(a, ++i, o)));
                case "--max-streams" -> {
                    int n = integer(o, value(a, ++i, o));
                    sphinx = sphinx.withMaxSessions(n, Math.min(sphinx.preloadedDecoders(), n));
                    whisper = whisper.withMaxSessions(n);
                }
                case "--end-silence-ms" -> {
                    int ms = integer(o, value(a, ++i, o));
                    sphinx = sphinx.withEndSilenceMs(ms);
                    whisper = whisper.withVad(whisper.vad().withMinSilenceMs(ms));
                }
                case "--webrtc" -> c = c.withWebRtc(c.webrtc().withEnabled(switch (value(a, ++i, o)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--webrtc takes on or off, not '" + a[i] + "'");
                }));
                case "--webrtc-ports" -> c = c.withWebRtc(c.webrtc().withPorts(value(a, ++i, o)));
                case "--webrtc-interfaces" -> c = c.withWebRtc(c.webrtc().withInterfaces(value(a, ++i, o)));
                case "--webrtc-connect-timeout" -> c = c.withWebRtc(
                        c.webrtc().withConnectTimeout(Durations.parse(o, value(a, ++i, o))));
                case "--mt-model" -> c = c.withNeuralMt(c.neuralMt().withModel(value(a, ++i, o)));
                case "--mt-beam" -> c = c.withNeuralMt(c.neuralMt().withBeamSize(integer(o, value(a, ++i, o))));
                case "--mt-max-hops" -> c = c.withRoutes(c.routes().withPolicy(new io.parley.translate.routing.RoutePolicy(
                        integer(o, value(a, ++i, o)), c.routes().policy().captionBudgetMs())));
                case "--mt-caption-budget-ms" -> c = c.withRoutes(c.routes().withPolicy(new io.parley.translate.routing.RoutePolicy(
                        c.routes().policy().maxHops(), integer(o, value(a, ++i, o)))));
                case "--mt-route-table" -> c = c.withRoutes(c.routes().withTable(Path.of(value(a, ++i, o))));
                case "--cluster" -> clusterOn = true;
                case "--cluster-members" -> members.add(value(a, ++i, o));
                case "--cluster-port" -> clusterPort = integer(o, value(a, ++i, o));
                case "--cluster-host" -> clusterHost = value(a, ++i, o);
                case "--cluster-config" -> hazelcastFile = Path.of(value(a, ++i, o));
                case "--role" -> role = value(a, ++i, o);
                case "--accelerator" -> backend = value(a, ++i, o);
                case "--device" -> device = value(a, ++i, o);
                case "--threads" -> threads = integer(o, value(a, ++i, o));
                default -> throw new IllegalArgumentException("unknown option '" + o + "'\n" + USAGE);
            }
        }
        if (tlsCert != null || tlsKey != null) {
            c = c.withSecurity(c.security().withTls(tlsCert, tlsKey));
        }
        ClusterConfig cluster = ClusterConfig.defaults().withPort(clusterPort).withHost(clusterHost);
        for (String m : members) {
            cluster = cluster.withMembers(m);
        }
        if (hazelcastFile != null) {
            cluster = cluster.withHazelcastConfig(hazelcastFile);
        }
        cluster = cluster.withEnabled(clusterOn).withRole(role);
        c = c.withCluster(cluster.checked());
        return c.withWhisper(whisper).withSphinx(sphinx).withAccelerator(new AcceleratorConfig(backend, threads, device));
    }

    /** A JSON config file as the options it stands for: {"port": 8443, "limits": {"maxRooms": 50}}. */
    static List<String> configFile(String file) {
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the config file " + file + " is not a JSON object: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : json) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.equals("config")) {
                throw new IllegalArgumentException("a config file cannot name another (\"config\" in " + file + ")");
            }
            if (key.equals("limits")) {
                if (!(v instanceof JsonObject limits)) {
                    throw new IllegalArgumentException("\"limits\" in " + file + " must be an object of NAME: VALUE");
                }
                limits.forEach(l -> {
                    out.add("--limit");
                    out.add(l.getKey() + "=" + l.getValue());
                });
            } else if (v instanceof Boolean b) {
                if (b) {
                    out.add("--" + key);
                }
            } else if (v instanceof JsonArray list) {
                for (Object item : list) {
                    out.add("--" + key);
                    out.add(String.valueOf(item));
                }
            } else if (v instanceof String || v instanceof Number) {
                out.add("--" + key);
                out.add(String.valueOf(v));
            } else {
                throw new IllegalArgumentException("\"" + key + "\" in " + file + " must be a string, number, boolean or list");
            }
        }
        return out;
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
