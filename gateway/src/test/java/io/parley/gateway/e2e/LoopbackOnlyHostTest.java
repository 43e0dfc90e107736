package io.parley.gateway.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WHIP on a host whose only interface is loopback (a container, a network namespace), where
 * libwebrtc's own gathering finds no interface and used to answer with no candidate at all. The
 * host is made for real: {@code unshare -n} gives {@link LoopbackOnlyHostProbe} a network
 * namespace of its own with only {@code lo} up, and the probe runs a gateway and a client there.
 * Where namespaces cannot be made (no privilege for them), the test is skipped and says why.
 */
class LoopbackOnlyHostTest {

    @Test
    void aWhipSpeakerIsCaptionedWhenLoopbackIsTheOnlyInterface() throws Exception {
        Process probe = new ProcessBuilder("unshare", "-n", "sh", "-c", "ip link set lo up").redirectErrorStream(true).start();
        String why = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean can = probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        Assumptions.assumeTrue(can, "cannot make a network namespace here (unshare -n and ip need the privilege): " + why);

        Path output = Files.createTempFile("parley-loopback-only-", ".log");
        List<String> command = new java.util.ArrayList<>(List.of("unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh",
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx512m"));
        if (System.getProperty("parley.testdata") != null) {
            command.add("-Dparley.testdata=" + System.getProperty("parley.testdata"));
        }
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                LoopbackOnlyHostProbe.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log.lines().filter(l -> l.startsWith("LOOPBACK-ONLY")).findFirst().orElse(""));
        assertTrue(ended, "the probe did not finish in 5 min:\n" + log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("LOOPBACK-ONLY HOST OK"), log);
    }
}
