package io.parley.gateway;

import io.parley.gateway.config.CommandLine;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.translate.api.LanguageCodes;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code parley run}: loads the engines, starts the gateway, says where it listens and what it can do. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        GatewayConfig config;
        try {
            config = CommandLine.parse(args);
            ParleyServer.checkExposure(config);
            if (config.webrtc().enabled()) {
                io.parley.gateway.whip.WebRtcStack.addresses(config.webrtc(), config.host()); // a typo stops here, not later
            }
        } catch (CommandLine.HelpRequested help) {
            System.out.print(help.text());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        long t0 = System.nanoTime();
        Engines engines;
        try {
            engines = Engines.load(config, line -> System.out.println("  " + line));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(1);
            return;
        }
        Vertx vertx;
        try {
            if (config.cluster().enabled()) {
                System.out.println("  fleet: joining " + String.join(",", config.cluster().members()) + " as "
                        + config.cluster().host() + ":" + config.cluster().port() + " ...");
            }
            vertx = config.cluster().enabled() ? io.parley.gateway.fleet.ClusterStart.vertx(config.cluster()) : Vertx.vertx();
        } catch (RuntimeException e) {
            System.err.println("parley: " + e.getMessage());
            engines.close();
            System.exit(1);
            return;
        }
        ParleyServer server;
        try {
            server = ParleyServer.start(vertx, config, engines, line -> System.out.println("  " + line));
        } catch (RuntimeException e) {
            System.err.println("parley: " + e.getMessage());
            engines.close();
            vertx.close();
            System.exit(1);
            return;
        }
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
        String url = (server.tls() ? "https" : "http") + "://" + host + ":" + server.port() + "/";
        System.out.printf("%nParley is listening on %s (ready in %.1f s)%n", url, (System.nanoTime() - t0) / 1e9);
        System.out.println("  demo page:     " + url + "  (meeting: " + url + "meeting.html, support: " + url
                + "support.html)");
        System.out.println("  widget:        <script src=\"" + url + "widget.js\"></script> <parley-captions room=... token=...>");
        System.out.println("  WebRTC ingest: " + server.webRtcUnavailable().map(why -> "off: " + why)
                .orElse("WHIP at POST " + url + "v1/rooms/{room}/whip; media on "
                        + server.webRtcMediaAddresses().orElse("?")));
        System.out.println("  security:      " + (server.tls() ? "TLS" : "plain HTTP") + "; rooms and text translation "
                + (config.security().apiKey().isPresent() ? "need the API key or an admin token"
                : "are open to whoever reaches " + config.host() + " (no API key)")
                + "; data folder " + config.store().dataDir());
        System.out.println("  accelerator:   " + engines.accelerator().name() + " (" + engines.accelerator().device() + ")");
        var recognizer = engines.recognizer();
        System.out.println("  speech engine: " + recognizer.engine() + ", " + listed(recognizer.languages())
                + (recognizer.identifiesLanguage() ? "; language auto-detected per utterance" : "")
                + (recognizer.translatesToEnglish() ? "; rooms may ask for speech translated into English" : ""));
        System.out.println("  translation:   " + engines.translators().stream().map(t -> t.engine() + " ("
                + t.pairs().size() + " directions)").collect(Collectors.joining(", ")));
        System.out.println("  caption languages: " + (engines.viewerLanguages().size() > 12
                ? listed(engines.viewerLanguages())
                : engines.viewerLanguages().stream().map(l -> l + " " + LanguageCodes.englishName(l))
                        .collect(Collectors.joining(", "))));
        for (var choice : engines.router().choices()) {
            if (engines.recognizer().languages().contains(choice.pair().source())) {
                System.out.println("    " + RouteListing.line(choice, engines.router().scores()));
            }
        }
        if (!engines.englishFromSpeechLanguages().isEmpty()) {
            System.out.println("    English captions of " + String.join(", ", engines.englishFromSpeechLanguages())
                    + " speech: the recognizer's own translation (it measured better than translating the transcript)");
        }
        System.out.println("  (GET " + url + "v1/languages lists them all with their routes)");
        System.out.println("Press Ctrl+C to stop: speech under way is finished and delivered first.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(server, engines, vertx, config), "parley-shutdown"));
    }

    /**
     * SIGTERM or Ctrl+C: drain (every utterance under way ends in a final that is delivered and
     * stored; clients are told to reconnect), then close. If that takes longer than the bound,
     * the process ends anyway: a stop must not hang.
     */
    private static void shutDown(ParleyServer server, Engines engines, Vertx vertx, GatewayConfig config) {
        long bound = config.rooms().drainTimeout().toMillis() * 2 + 5000;
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(bound);
                System.err.println("parley: the shutdown took longer than " + bound / 1000 + " s; stopping now");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException done) {
                // finished in time
            }
        });
        System.out.println("parley: stopping: finishing the speech under way ...");
        try {
            server.drain().get(bound, TimeUnit.MILLISECONDS);
            server.close().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("parley: the shutdown did not finish cleanly: " + e.getMessage());
        }
        engines.close();
        try {
            // A node of a fleet leaves the cluster here, after its drain.
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("parley: closing Vert.x: " + e.getMessage());
        }
        watchdog.interrupt();
        System.out.println("parley: stopped");
    }

    /** A language list short enough for a start-up line: the count and the codes. */
    private static String listed(java.util.Collection<String> langs) {
        return langs.size() + (langs.size() == 1 ? " language: " : " languages: ")
                + String.join(" ", new java.util.TreeSet<>(langs));
    }
}
