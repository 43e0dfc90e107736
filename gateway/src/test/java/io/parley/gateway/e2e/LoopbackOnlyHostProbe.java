package io.parley.gateway.e2e;

import io.parley.testkit.GatewayProcess;
import io.parley.testkit.SocketClient;
import io.parley.testkit.TempFolders;

import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.vertx.core.json.JsonObject;

import java.net.NetworkInterface;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * Run by {@link LoopbackOnlyHostTest} inside a network namespace whose only interface is
 * loopback, as in a container: starts a gateway listening on every interface, publishes a clip
 * over WHIP from a libwebrtc client in the same namespace, and checks that it is captioned and
 * that the session ends cleanly. Exits 0 when all of that held, and says what did not otherwise.
 */
public final class LoopbackOnlyHostProbe {

    private LoopbackOnlyHostProbe() {
    }

    public static void main(String[] args) throws Exception {
        List<String> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(n -> {
                    try {
                        return n.isUp();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                }).map(NetworkInterface::getName).toList();
        if (!interfaces.equals(List.of("lo"))) {
            fail("the namespace has other interfaces up: " + interfaces);
        }
        Path data = TempFolders.create("parley-loopback-only-");
        try (GatewayProcess g = GatewayProcess.start(List.of("--host", "0.0.0.0", "--insecure-open", "--data", data.toString(),
                "--asr", "sphinx", "--mt-model", "none", "--webrtc-connect-timeout", "10s"))) {
            if (!g.output().contains("media on every interface: 127.0.0.1")) {
                fail("the start-up listing does not offer loopback:\n" + g.output());
            }
            JsonObject room = g.createRoom(null);
            String id = room.getString("room");
            SocketClient viewer = SocketClient.connect(g.ws("/v1/rooms/" + id + "/captions"), room.getString("viewerToken"));
            EvaluationSet.Clip clip = EvaluationSet.locate().clips().stream()
                    .filter(c -> c.name().startsWith("librivox")).findFirst().orElseThrow();
            try (WhipClient client = WhipClient.create(room.getString("speakerToken"), true)) {
                HttpResponse<String> r = client.publish(g.http("/v1/rooms/" + id + "/whip"), "en", "Container");
                if (r.statusCode() != 201) {
                    fail("the offer was answered " + r.statusCode() + ": " + r.body());
                }
                List<String> candidates = r.body().lines().filter(l -> l.startsWith("a=candidate:")).toList();
                if (candidates.isEmpty() || !candidates.stream().allMatch(c -> c.contains(" 127.0.0.1 "))) {
                    fail("the answer should offer loopback only: " + candidates);
                }
                client.sendSilence(0.3);
                client.send(WhipIngestTest.pcm(WavFile.read(clip.wav())));
                client.sendSilence(1.2);
                viewer.await(j -> "caption".equals(j.getString("type")) && j.getBoolean("final")
                        && !j.getString("text").isBlank(), 60_000);
                if (client.delete() != 200) {
                    fail("DELETE did not end the session");
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!g.send("GET", "/metrics", null, null).body().contains("parley_webrtc_sessions 0")) {
                if (System.nanoTime() > deadline) {
                    fail("the session was not released");
                }
                Thread.sleep(100);
            }
            System.out.println("LOOPBACK-ONLY HOST OK: captioned over " + candidates(viewer));
        }
        System.exit(0);
    }

    private static String candidates(SocketClient viewer) {
        return viewer.finals().size() + " final(s): " + viewer.finals().stream().map(f -> f.getString("text")).toList();
    }

    private static void fail(String why) {
        System.out.println("LOOPBACK-ONLY HOST FAILED: " + why);
        System.exit(1);
    }
}
