package io.parley.gateway.e2e;

import io.parley.gateway.store.PostgresServer;
import io.parley.speech.audio.WavFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gateway processes on loopback as one Parley: a Hazelcast cluster (Vert.x's clustered
 * event bus) sharing a real PostgreSQL. A speaker streams into an edge-only node; viewers read
 * Spanish, Catalan and the original on the two others (role {@code all}), whichever runs the
 * room's speech. Mid-utterance that worker is killed with {@code kill -9}: the speaker's edge
 * moves the stream to the other worker with the audio since the last final, so that utterance
 * is still captioned; the dead node's viewers reconnect to the living one with {@code since}.
 * Every final in the store reaches the viewers, in order, once; the one spoken across the kill
 * included.
 */
class FleetTest {

    record Node(String name, GatewayProcess process) {
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static List<Long> finalSeqs(SocketClient viewer) {
        return viewer.finals().stream().filter(f -> !f.getString("text").isBlank()).map(f -> f.getLong("seq")).toList();
    }

    @Test
    void threeNodesServeOneMeetingAndAWorkerKilledMidUtteranceLosesNoFinal() throws Exception {
        try (PostgresServer pg = PostgresServer.start()) {
            String store = pg.newDatabase("fleet");
            Path secret = TempFolders.create("parley-fleet-key-").resolve("fleet.key");
            Files.writeString(secret, "a-secret-the-fleet-shares-" + "x".repeat(40));
            int[] ports = {freePort(), freePort(), freePort()};
            String members = Arrays.stream(ports).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
            List<Node> nodes = new ArrayList<>();
            String[] roles = {"edge", "all", "all"};
            try {
                for (int i = 0; i < 3; i++) {
                    List<String> args = List.of("--data", TempFolders.create("parley-fleet-").toString(), "--store", store,
                            "--jwt-key", "fleet=" + secret, "--asr", "sphinx", "--mt-model", "none", "--webrtc", "off",
                            "--cluster", "--cluster-members", members, "--cluster-port", Integer.toString(ports[i]),
                            "--role", roles[i]);
                    nodes.add(new Node("node" + i, GatewayProcess.start(args)));
                }
                scenario(nodes, secret);
            } catch (AssertionError | Exception e) {
                for (Node n : nodes) {
                    System.err.println("---- " + n.name() + " ----\n" + n.process().output());
                }
                throw e;
            } finally {
                for (Node n : nodes) {
                    n.process().close();
                }
            }
        }
    }

    /** Waits until {@code from} sees {@code n} nodes in /v1/cluster, and returns its answer. */
    static JsonObject awaitNodes(GatewayProcess from, int n, String token) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonObject last = null;
        while (System.currentTimeMillis() < deadline) {
            var r = from.send("GET", "/v1/cluster", null, token);
            assertEquals(200, r.statusCode(), r.body());
            last = new JsonObject(r.body());
            if (last.getJsonArray("nodes").size() == n) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the fleet never had " + n + " nodes: " + last);
    }

    void scenario(List<Node> nodes, Path secret) throws Exception {
        GatewayProcess edge = nodes.get(0).process();
        String admin = io.parley.gateway.TokenCommandAccess.mint(new String[]{"--role", "admin", "--jwt-key", "fleet=" + secret,
                "--data", TempFolders.create("parley-fleet-admin-").toString()}).strip();
        assertEquals(401, edge.send("GET", "/v1/cluster", null, null).statusCode(), "the fleet's state is for an admin");
        JsonObject cluster = awaitNodes(edge, 3, admin);
        assertEquals(Set.of("edge", "all"), cluster.getJsonArray("nodes").stream()
                .map(o -> ((JsonObject) o).getString("role")).collect(Collectors.toSet()));

        JsonObject room = edge.createRoom(null);
        String id = room.getString("room");
        String viewerToken = room.getString("viewerToken");
        GatewayProcess b = nodes.get(1).process();
        GatewayProcess c = nodes.get(2).process();
        // Viewers on both workers, in two languages and as spoken.
        SocketClient spanish = SocketClient.connect(b.ws("/v1/rooms/" + id + "/captions?lang=es"), viewerToken);
        SocketClient originalOnB = SocketClient.connect(b.ws("/v1/rooms/" + id + "/captions"), viewerToken);
        SocketClient catalan = SocketClient.connect(c.ws("/v1/rooms/" + id + "/captions?lang=ca"), viewerToken);
        SocketClient originalOnC = SocketClient.connect(c.ws("/v1/rooms/" + id + "/captions"), viewerToken);
        for (SocketClient v : List.of(spanish, originalOnB, catalan, originalOnC)) {
            v.await(j -> "ready".equals(j.getString("type")), 20_000);
        }

        Speaker speaker = Speaker.start(edge, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        for (String name : List.of(DurabilityTest.FIRST, DurabilityTest.SECOND)) {
            speaker.sendClip(DurabilityTest.clip(name));
            speaker.sendSilence(1.0, 16000);
        }
        for (SocketClient v : List.of(spanish, originalOnB, catalan, originalOnC)) {
            v.await(j -> finalSeqs(v).size() >= 2, 60_000);
        }
        assertTrue(spanish.finals().stream().anyMatch(f -> "es".equals(f.getString("lang"))), "translated: " + spanish.finals());

        // Which worker runs the room's speech?
        JsonArray all = awaitNodes(edge, 3, admin).getJsonArray("nodes");
        String hostUrl = all.stream().map(o -> (JsonObject) o).filter(n -> n.getJsonArray("rooms").contains(id))
                .map(n -> n.getString("http")).findFirst().orElseThrow(() -> new AssertionError("no node runs " + id + ": " + all));
        boolean hostIsB = hostUrl.endsWith(":" + b.port());
        GatewayProcess host = hostIsB ? b : c;
        GatewayProcess survivor = hostIsB ? c : b;
        assertTrue(hostUrl.endsWith(":" + host.port()), hostUrl);

        // ---- kill -9 the worker mid-utterance ----
        WavFile third = DurabilityTest.clip(DurabilityTest.THIRD);
        byte[] pcm = third.pcm();
        int half = pcm.length / 2 & ~1;
        speaker.sendPcm(Arrays.copyOf(pcm, half), 16000);
        host.kill9();
        speaker.sendPcm(Arrays.copyOfRange(pcm, half, pcm.length), 16000);
        speaker.sendSilence(1.5, 16000);

        // The dead node's viewers come back on the survivor with since.
        SocketClient spanishLive = hostIsB ? reconnect(survivor, id, "es", spanish, viewerToken) : spanish;
        SocketClient originalLive = hostIsB ? reconnect(survivor, id, null, originalOnB, viewerToken) : originalOnB;
        SocketClient catalanLive = hostIsB ? catalan : reconnect(survivor, id, "ca", catalan, viewerToken);
        SocketClient original2Live = hostIsB ? originalOnC : reconnect(survivor, id, null, originalOnC, viewerToken);

        // The utterance spoken across the kill ends in a final (the third), at every viewer.
        originalLive.await(j -> joined(originalOnB, originalLive).size() >= 3, 60_000);
        original2Live.await(j -> joined(originalOnC, original2Live).size() >= 3, 60_000);
        speaker.stop();

        // Every final the store has, at every viewer, in order, once.
        List<Long> stored = storedSeqs(survivor, id, null, viewerToken);
        assertTrue(stored.size() >= 3, "the store has the third utterance's final: " + stored);
        for (SocketClient[] pair : List.of(new SocketClient[]{originalOnB, originalLive},
                new SocketClient[]{originalOnC, original2Live})) {
            List<Long> seen = joined(pair[0], pair[1]);
            assertEquals(stored, seen, "a viewer as spoken got every stored final once, in order");
        }
        for (String lang : List.of("es", "ca")) {
            SocketClient before = lang.equals("es") ? spanish : catalan;
            SocketClient after = lang.equals("es") ? spanishLive : catalanLive;
            List<Long> storedLang = awaitStored(survivor, id, lang, viewerToken, stored.size());
            after.await(j -> joined(before, after).size() >= storedLang.size(), 30_000);
            assertEquals(storedLang, joined(before, after), lang + ": every stored final once, in order");
        }
        // The utterance cut by the kill, recognised on the other worker from the edge's audio: its
        // words, not a fragment (the reference: "unless to be rather cold hearted and rather selfish
        // is to be ill disposed").
        List<JsonObject> asSpoken = new ArrayList<>(originalOnB.finals());
        if (originalLive != originalOnB) {
            asSpoken.addAll(originalLive.finals());
        }
        String cut = asSpoken.stream().filter(f -> f.getLong("seq").equals(stored.get(2)))
                .map(f -> f.getString("text")).findFirst().orElse("");
        Set<String> words = new java.util.HashSet<>(List.of(cut.toLowerCase(java.util.Locale.ROOT).split("\\W+")));
        long heard = Set.of("unless", "rather", "cold", "hearted", "and", "selfish", "ill", "disposed").stream()
                .filter(words::contains).count();
        assertTrue(heard >= 4, "the utterance spoken across the kill was captioned whole: '" + cut + "'");
        assertTrue(survivor.alive() && edge.alive());
        var metrics = edge.send("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("parley_fleet_streams_moved_total 1"), metrics);
    }

    /** Finals of one viewer across its reconnection (the same client when it never had to). */
    static List<Long> joined(SocketClient before, SocketClient after) {
        if (before == after) {
            return finalSeqs(after);
        }
        List<Long> all = new ArrayList<>(finalSeqs(before));
        all.addAll(finalSeqs(after));
        return all;
    }

    static SocketClient reconnect(GatewayProcess to, String room, String lang, SocketClient old, String token)
            throws Exception {
        List<Long> had = finalSeqs(old);
        long since = had.isEmpty() ? 0 : had.getLast();
        String q = "?since=" + since + (lang == null ? "" : "&lang=" + lang);
        SocketClient v = SocketClient.connect(to.ws("/v1/rooms/" + room + "/captions" + q), token);
        v.await(j -> "ready".equals(j.getString("type")), 20_000);
        return v;
    }

    static List<Long> storedSeqs(GatewayProcess gw, String room, String lang, String token) throws Exception {
        var r = gw.send("GET", "/v1/rooms/" + room + "/transcript?format=json" + (lang == null ? "" : "&lang=" + lang),
                null, token);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        JsonArray finals = body.getJsonArray("captions", body.getJsonArray("finals", new JsonArray()));
        List<Long> seqs = new ArrayList<>();
        for (Object o : finals) {
            JsonObject f = (JsonObject) o;
            if (!f.getString("text", "").isBlank()) {
                seqs.add(f.getLong("seq"));
            }
        }
        return seqs;
    }

    static List<Long> awaitStored(GatewayProcess gw, String room, String lang, String token, int n) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        List<Long> s = storedSeqs(gw, room, lang, token);
        while (s.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            s = storedSeqs(gw, room, lang, token);
        }
        return s;
    }
}
