package io.parley.gateway;

import io.parley.gateway.config.CommandLine;
import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.engines.Engines;
import io.parley.translate.api.LanguageCodes;
import io.parley.translate.routing.Route;
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
        } catch (CommandLine.HelpRequested help) {
            System.out.print(CommandLine.USAGE);
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
        Vertx vertx = Vertx.vertx();
        ParleyServer server;
        try {
            server = ParleyServer.start(vertx, config, engines).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("parley: cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage());
            engines.close();
            vertx.close();
            System.exit(1);
            return;
        }
        String host = config.host().equals("0.0.0.0") ? "localhost" : config.host();
        String url = "http://" + host + ":" + server.port() + "/";
        System.out.printf("%nParley is listening on %s (ready in %.1f s)%n", url, (System.nanoTime() - t0) / 1e9);
        System.out.println("  demo page:     " + url + "  (meeting: " + url + "meeting.html, support: " + url
                + "support.html)");
        System.out.println("  widget:        <script src=\"" + url + "widget.js\"></script> <parley-captions room=... token=...>");
        System.out.println("  WebRTC ingest: " + server.webRtcUnavailable().map(why -> "off: " + why)
                .orElse("WHIP at POST " + url + "v1/rooms/{room}/whip"));
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
        for (Route route : engines.router().routes()) {
            if (engines.recognizer().languages().contains(route.pair().source())) {
                System.out.println("    " + String.join(" -> ", route.languages()) + "  via " + String.join(" + ", route.engines()));
            }
        }
        System.out.println("  (GET " + url + "v1/languages lists them all with their routes)");
        System.out.println("Press Ctrl+C to stop.");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engines.close();
            vertx.close();
        }, "parley-shutdown"));
    }

    /** A language list short enough for a start-up line: the count and the codes. */
    private static String listed(java.util.Collection<String> langs) {
        return langs.size() + (langs.size() == 1 ? " language: " : " languages: ")
                + String.join(" ", new java.util.TreeSet<>(langs));
    }
}
