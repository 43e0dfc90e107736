package io.parley.gateway.e2e;

import io.parley.testkit.FleetHarness;
import io.parley.testkit.GatewayProcess;
import io.parley.testkit.PostgresServer;
import io.parley.testkit.SocketClient;
import io.parley.testkit.Speaker;

import io.parley.speech.audio.WavFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

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

    static List<Long> finalSeqs(SocketClient viewer) {
        return viewer.finals().stream().filter(f -> !f.getString("text").isBlank()).map(f -> f.getLong("seq")).toList();
    }

    /** An edge and two nodes of role all; each recognizes one stream at a time (Sphinx4), Apertium translates. */
    static FleetHarness fleet(PostgresServer pg, String db) throws Exception {
        String[] engine = {"--asr", "sphinx", "--mt-model", "none", "--max-streams", "1"};
        return new FleetHarness(pg, db, List.of(FleetHarness.NodeSpec.of("edge", engine),
                FleetHarness.NodeSpec.of("all", engine), FleetHarness.NodeSpec.of("all", engine)));
    }

    @Test
    void threeNodesServeOneMeetingAndAWorkerKilledMidUtteranceLosesNoFinal() throws Exception {
        try (PostgresServer pg = PostgresServer.start(); FleetHarness fleet = fleet(pg, "fleet")) {
            try {
                fleet.startAll();
                scenario(fleet);
            } catch (AssertionError | Exception e) {
                System.err.println(fleet.outputs());
                throw e;
            }
        }
    }

    @Test
    void aRollingRestartOfEveryNodeMidMeetingLosesNoFinal() throws Exception {
        try (PostgresServer pg = PostgresServer.start(); FleetHarness fleet = fleet(pg, "rolling")) {
            try {
                fleet.startAll();
                rollingRestart(fleet);
            } catch (AssertionError | Exception e) {
                System.err.println(fleet.outputs());
                throw e;
            }
        }
    }

    void scenario(FleetHarness fleet) throws Exception {
        String admin = fleet.admin();
        GatewayProcess edge = fleet.node(0);
        assertEquals(401, edge.send("GET", "/v1/cluster", null, null).statusCode(), "the fleet's state is for an admin");
        JsonObject cluster = fleet.awaitNodes(edge, 3, admin);
        assertEquals(Set.of("edge", "all"), cluster.getJsonArray("nodes").stream()
                .map(o -> ((JsonObject) o).getString("role")).collect(Collectors.toSet()));

        JsonObject room = edge.createRoom(null);
        String id = room.getString("room");
        String viewerToken = room.getString("viewerToken");
        GatewayProcess b = fleet.node(1);
        GatewayProcess c = fleet.node(2);
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
        JsonArray all = fleet.awaitNodes(edge, 3, admin).getJsonArray("nodes");
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

        // Admission: each worker takes one stream (--max-streams 1) and the survivor has it; a
        // speaker of another room is refused, not queued behind it.
        JsonObject other = edge.createRoom(null);
        SocketClient refused = SocketClient.connect(edge.ws("/v1/rooms/" + other.getString("room") + "/speak"),
                other.getString("speakerToken"));
        refused.sendText(new JsonObject().put("type", "start").put("format", "pcm_s16le").put("sampleRate", 16000)
                .put("channels", 1).put("language", "en").put("speaker", "Bo").encode());
        JsonObject error = refused.awaitError("capacity_reached");
        assertTrue(error.getString("message").contains("worker"), error.encode());
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
            try {
                after.await(j -> joined(before, after).size() >= storedLang.size(), 30_000);
            } catch (AssertionError e) {
                throw new AssertionError(lang + ": stored " + storedLang + ", seen " + finalSeqs(before) + " then "
                        + (before == after ? "(same connection)" : after.messages), e);
            }
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
        assertTrue(metrics.contains("parley_fleet_streams_refused_total 1"), metrics);
    }

    /**
     * A viewer that follows the meeting across node restarts: told {@code closing}, it comes back
     * on another node with {@code since}, as the widget does.
     */
    static final class RoamingViewer {
        final String room;
        final String lang;
        final String token;
        final List<SocketClient> connections = new ArrayList<>();
        GatewayProcess on;

        RoamingViewer(String room, String lang, String token) {
            this.room = room;
            this.lang = lang;
            this.token = token;
        }

        void connect(GatewayProcess to) throws Exception {
            List<Long> had = finals();
            String q = "?since=" + (had.isEmpty() ? 0 : had.getLast()) + (lang == null ? "" : "&lang=" + lang);
            SocketClient v = SocketClient.connect(to.ws("/v1/rooms/" + room + "/captions" + q), token);
            v.await(j -> "ready".equals(j.getString("type")), 20_000);
            connections.add(v);
            on = to;
        }

        /** Its node is stopping: waits for closing (server_shutdown, 1001), then reconnects to {@code to}. */
        void move(GatewayProcess to) throws Exception {
            SocketClient current = connections.getLast();
            JsonObject closing = current.await(j -> "closing".equals(j.getString("type")), 60_000);
            assertEquals("server_shutdown", closing.getString("code"));
            assertEquals(1001, current.awaitClose());
            connect(to);
        }

        List<Long> finals() {
            List<Long> all = new ArrayList<>();
            connections.forEach(c -> all.addAll(finalSeqs(c)));
            return all;
        }
    }

    void rollingRestart(FleetHarness fleet) throws Exception {
        GatewayProcess edge = fleet.node(0);
        GatewayProcess b = fleet.node(1);
        GatewayProcess c = fleet.node(2);
        String admin = fleet.admin();
        fleet.awaitNodes(edge, 3, admin);
        JsonObject room = edge.createRoom(null);
        String id = room.getString("room");
        RoamingViewer original = new RoamingViewer(id, null, room.getString("viewerToken"));
        RoamingViewer spanish = new RoamingViewer(id, "es", room.getString("viewerToken"));
        original.connect(b);
        spanish.connect(c);
        Speaker speaker = Speaker.start(edge, id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        speaker.sendClip(DurabilityTest.clip(DurabilityTest.SECOND));
        speaker.sendSilence(1.0, 16000);
        original.connections.getLast().await(j -> original.finals().size() >= 1, 60_000);
        int spoken = 1;

        // Each worker in turn is stopped mid-utterance (SIGTERM) and started again; then the edge.
        String[] clips = {DurabilityTest.THIRD, DurabilityTest.FIRST};
        GatewayProcess[] nodes = {b, c};
        for (int i = 0; i < 2; i++) {
            GatewayProcess stopping = nodes[i];
            GatewayProcess other = nodes[1 - i];
            byte[] pcm = DurabilityTest.clip(clips[i]).pcm();
            int half = pcm.length / 2 & ~1;
            speaker.sendPcm(Arrays.copyOf(pcm, half), 16000);
            stopping.terminate();
            speaker.sendPcm(Arrays.copyOfRange(pcm, half, pcm.length), 16000);
            speaker.sendSilence(1.5, 16000);
            spoken++;
            for (RoamingViewer v : List.of(original, spanish)) {
                if (v.on == stopping) {
                    v.move(other);
                }
            }
            assertTrue(stopping.awaitExit(java.time.Duration.ofSeconds(60)).isPresent(), "the node stopped");
            GatewayProcess again = fleet.restart(i + 1);
            nodes[i] = again;
            fleet.awaitNodes(edge, 3, admin);
            int expected = spoken;
            original.connections.getLast().await(j -> original.finals().size() >= expected, 60_000);
        }

        String metrics = edge.send("GET", "/metrics", null, null).body();
        assertTrue(java.util.regex.Pattern.compile("parley_fleet_streams_moved_total [12]\\b").matcher(metrics).find(),
                "the stream moved off each worker that stopped under it: " + metrics);

        // The edge the speaker talks to is stopped mid-utterance: what was said ends in a final,
        // the speaker is told to come back, and does, on another node.
        byte[] pcm = DurabilityTest.clip(DurabilityTest.SECOND).pcm();
        speaker.sendPcm(Arrays.copyOf(pcm, pcm.length * 2 / 3 & ~1), 16000);
        edge.terminate();
        JsonObject closing = speaker.client().await(j -> "closing".equals(j.getString("type")), 60_000);
        assertEquals("server_shutdown", closing.getString("code"));
        spoken++;
        assertTrue(edge.awaitExit(java.time.Duration.ofSeconds(60)).isPresent(), "the edge stopped");
        Speaker back = Speaker.start(nodes[0], id, room.getString("speakerToken"), "pcm_s16le", 16000, "Ana");
        back.sendClip(DurabilityTest.clip(DurabilityTest.FIRST));
        back.sendSilence(1.5, 16000);
        spoken++;
        int expected = spoken;
        original.connections.getLast().await(j -> original.finals().size() >= expected, 60_000);
        back.stop();

        List<Long> stored = storedSeqs(nodes[0], id, null, room.getString("viewerToken"));
        assertEquals(stored, original.finals(), "every stored final once, in order, across " + original.connections.size()
                + " connections");
        List<Long> storedEs = awaitStored(nodes[0], id, "es", room.getString("viewerToken"), stored.size());
        spanish.connections.getLast().await(j -> spanish.finals().size() >= storedEs.size(), 30_000);
        assertEquals(storedEs, spanish.finals(), "es: every stored final once, in order");
        assertTrue(stored.size() >= spoken, "an utterance lost: " + spoken + " spoken, " + stored.size() + " stored");
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
