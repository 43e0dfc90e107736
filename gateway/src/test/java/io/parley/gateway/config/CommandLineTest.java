package io.parley.gateway.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void defaultsAndOptions() {
        GatewayConfig c = CommandLine.parse(new String[0]);
        assertEquals(8080, c.port());
        assertEquals("127.0.0.1", c.host());
        GatewayConfig o = CommandLine.parse(new String[]{"--port", "9000", "--host", "0.0.0.0", "--max-streams", "2",
                "--end-silence-ms", "700"});
        assertEquals(9000, o.port());
        assertEquals("0.0.0.0", o.host());
        assertEquals(2, o.sphinx().maxSessions());
        assertEquals(700, o.sphinx().endSilenceMs());
        assertEquals(2, o.whisper().maxSessions());
        assertEquals(700, o.whisper().vad().minSilenceMs());
        assertEquals("auto", c.asrEngine());
        assertEquals("base", c.whisper().model());
        assertEquals(io.parley.speech.whisper.model.Precision.INT8, c.whisper().precision());
        GatewayConfig w = CommandLine.parse(new String[]{"--asr", "whisper", "--asr-model", "tiny.en",
                "--asr-precision", "F16", "--asr-beam", "5", "--asr-policy", "align-att"});
        assertEquals("whisper", w.asrEngine());
        assertEquals(io.parley.speech.whisper.stream.StreamingConfig.Agreement.ALIGN_ATT, w.whisper().agreement());
        assertEquals(io.parley.speech.whisper.stream.StreamingConfig.Agreement.LOCAL_AGREEMENT, c.whisper().agreement());
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--asr-policy", "greedy"}));
        assertEquals("tiny.en", w.whisper().model());
        assertEquals(io.parley.speech.whisper.model.Precision.F16, w.whisper().precision());
        assertEquals(5, w.whisper().beamSize());
        assertEquals("jvm", c.accelerator().backend());
        GatewayConfig cl = CommandLine.parse(new String[]{"--accelerator", "OpenCL", "--device", "pocl", "--threads", "1"});
        assertEquals("opencl", cl.accelerator().backend());
        assertEquals("pocl", cl.accelerator().device());
        assertEquals(1, cl.accelerator().threads());
        assertTrue(c.webrtc().enabled());
        GatewayConfig rtc = CommandLine.parse(new String[]{"--webrtc", "off", "--webrtc-ports", "40000-40100"});
        assertEquals(false, rtc.webrtc().enabled());
        assertEquals(40000, rtc.webrtc().minPort());
        assertEquals(40100, rtc.webrtc().maxPort());
    }

    @Test
    void neuralModelsAreConfigured() {
        GatewayConfig c = CommandLine.parse(new String[0]);
        assertEquals(NeuralMtConfig.DEFAULT_MODELS, c.neuralMt().models());
        assertEquals(false, c.neuralMt().explicit());
        GatewayConfig two = CommandLine.parse(new String[]{"--mt-model", "/models/enfr", "--mt-model", "mt-pten", "--mt-beam", "4"});
        assertEquals(java.util.List.of("/models/enfr", "mt-pten"), two.neuralMt().models());
        assertTrue(two.neuralMt().explicit());
        assertEquals(4, two.neuralMt().beamSize());
        assertTrue(CommandLine.parse(new String[]{"--mt-model", "none"}).neuralMt().models().isEmpty());
        IllegalArgumentException beam = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--mt-beam", "40"}));
        assertTrue(beam.getMessage().contains("beam size must be 1 to 16"), beam.getMessage());
    }

    @Test
    void routeChoiceIsConfigured() {
        GatewayConfig c = CommandLine.parse(new String[0]);
        assertEquals(io.parley.translate.routing.RoutePolicy.DEFAULT, c.routes().policy());
        GatewayConfig set = CommandLine.parse(new String[]{"--mt-max-hops", "2", "--mt-caption-budget-ms", "400"});
        assertEquals(new io.parley.translate.routing.RoutePolicy(2, 400), set.routes().policy());
        IllegalArgumentException table = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--mt-route-table", "/no/such/table.tsv"}));
        assertTrue(table.getMessage().contains("/no/such/table.tsv is not a file"), table.getMessage());
        IllegalArgumentException hops = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--mt-max-hops", "9"}));
        assertTrue(hops.getMessage().contains("1 to 4 engines, not 9"), hops.getMessage());
    }

    @Test
    void webRtcMistakesAreExplained() {
        IllegalArgumentException onOff = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--webrtc", "yes"}));
        assertTrue(onOff.getMessage().contains("--webrtc takes on or off"), onOff.getMessage());
        IllegalArgumentException reversed = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--webrtc-ports", "40100-40000"}));
        assertTrue(reversed.getMessage().contains("MIN <= MAX"), reversed.getMessage());
        IllegalArgumentException words = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--webrtc-ports", "low-high"}));
        assertTrue(words.getMessage().contains("whole numbers"), words.getMessage());
    }

    @Test
    void mistakesAreExplainedToAPerson() {
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--port", "eighty"}));
        assertTrue(notNumber.getMessage().contains("--port takes a whole number"), notNumber.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--port", "70000"}));
        assertTrue(range.getMessage().contains("between 0 and 65535"), range.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--colour"}));
        assertTrue(unknown.getMessage().contains("unknown option '--colour'"));
        IllegalArgumentException engine = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--asr", "kaldi"}));
        assertTrue(engine.getMessage().contains("available: auto, whisper, sphinx"), engine.getMessage());
        IllegalArgumentException precision = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--asr-precision", "int4"}));
        assertTrue(precision.getMessage().contains("precision must be f32, f16 or int8"), precision.getMessage());
        IllegalArgumentException beam = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--asr-beam", "40"}));
        assertTrue(beam.getMessage().contains("beam size must be 1 to 8"), beam.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--port"}));
        assertTrue(missing.getMessage().contains("--port needs a value"));
        IllegalArgumentException silence = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--end-silence-ms", "10"}));
        assertTrue(silence.getMessage().contains("endSilenceMs must be between 100 and 5000"), silence.getMessage());
        assertThrows(CommandLine.HelpRequested.class, () -> CommandLine.parse(new String[]{"--help"}));
    }

    @Test
    void limitsAreSetByNameOrFromAConfigFileAndCheckedOnTheWay(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        GatewayConfig c = CommandLine.parse(new String[]{"--limit", "maxConnectionsPerAddress=64", "--limit",
                "roomIdleTimeout=90m", "--limit", "httpRequestsPerSecond=2.5", "--data", dir.toString()});
        assertEquals(64, c.connections().maxConnectionsPerAddress());
        assertEquals(java.time.Duration.ofMinutes(90), c.rooms().roomIdleTimeout());
        assertEquals(2.5, c.connections().httpRequestsPerSecond());
        assertEquals(dir, c.store().dataDir());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--limit", "maxUnicorns=3"}));
        assertTrue(unknown.getMessage().contains("unknown limit 'maxUnicorns'") && unknown.getMessage().contains("maxRooms"),
                unknown.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--limit", "maxLanguagesPerRoom=0"}));
        assertTrue(range.getMessage().contains("maxLanguagesPerRoom must be at least 1"), range.getMessage());
        IllegalArgumentException duration = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--limit", "roomIdleTimeout=soon"}));
        assertTrue(duration.getMessage().contains("like 500ms, 90s, 15m, 12h or 7d"), duration.getMessage());

        java.nio.file.Path file = dir.resolve("parley.json");
        java.nio.file.Files.writeString(file, "{\"port\": 8443, \"insecure-open\": true, \"jwt-key\": [\"a=/k/a.key\"],"
                + " \"limits\": {\"maxRooms\": 50, \"viewerPingInterval\": \"10s\"}}");
        GatewayConfig f = CommandLine.parse(new String[]{"--config", file.toString(), "--port", "9443"});
        assertEquals(9443, f.port(), "the command line wins");
        assertTrue(f.security().insecureOpen());
        assertEquals(java.util.List.of("a=/k/a.key"), f.security().jwtKeys());
        assertEquals(50, f.rooms().maxRooms());
        assertEquals(java.time.Duration.ofSeconds(10), f.limits().viewerPingInterval());
        java.nio.file.Files.writeString(file, "{\"limits\": [1, 2]}");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--config", file.toString()}));
        assertTrue(bad.getMessage().contains("\"limits\""), bad.getMessage());
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--tls-cert", file.toString()}));
        assertTrue(tls.getMessage().contains("both --tls-cert and --tls-key"), tls.getMessage());
        IllegalArgumentException store = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--store", "mysql://root:secret@db/parley"}));
        assertTrue(store.getMessage().contains("postgresql://") && !store.getMessage().contains("secret"), store.getMessage());
    }

    @Test
    void limitsRefuseInconsistentValues() {
        Limits d = Limits.defaults();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.withViewerQueues(100, 50, 0));
        assertTrue(e.getMessage().contains("viewerHardQueueBytes"));
    }

    @Test
    void aFleetNodeNeedsItsMembersAndAStoreItShares() {
        GatewayConfig c = CommandLine.parse(new String[]{"--cluster", "--cluster-members", "10.0.0.1:5701,10.0.0.2:5701",
                "--cluster-port", "5702", "--cluster-host", "10.0.0.3", "--role", "edge",
                "--store", "postgresql://parley@db:5432/parley"});
        assertEquals(true, c.cluster().enabled());
        assertEquals(java.util.List.of("10.0.0.1:5701", "10.0.0.2:5701"), c.cluster().members());
        assertEquals(5702, c.cluster().port());
        assertEquals("10.0.0.3", c.cluster().host());
        assertEquals(ClusterConfig.Role.EDGE, c.cluster().role());
        assertEquals(false, CommandLine.parse(new String[0]).cluster().enabled());

        String noMembers = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--cluster",
                "--store", "postgresql://parley@db:5432/parley"})).getMessage();
        assertTrue(noMembers.contains("--cluster-members") && noMembers.contains("multicast"), noMembers);
        String noStore = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--cluster",
                "--cluster-members", "10.0.0.1:5701"})).getMessage();
        assertTrue(noStore.contains("PostgreSQL"), noStore);
        String noCluster = assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(new String[]{"--role", "worker"})).getMessage();
        assertTrue(noCluster.contains("--cluster"), noCluster);
        String badRole = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--cluster",
                "--cluster-members", "10.0.0.1:5701", "--role", "boss"})).getMessage();
        assertTrue(badRole.contains("all, edge or worker"), badRole);
        String badMember = assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"--cluster",
                "--cluster-members", "10.0.0.1"})).getMessage();
        assertTrue(badMember.contains("HOST:PORT"), badMember);
    }
}
