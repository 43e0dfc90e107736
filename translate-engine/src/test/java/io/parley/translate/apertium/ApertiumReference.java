package io.parley.translate.apertium;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Apertium's own command line ({@code apertium -u <mode>}, one process per text): the
 * independent reference that Parley's long-lived pipelines are compared against.
 */
public final class ApertiumReference {

    private ApertiumReference() {
    }

    public static String translate(String mode, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("apertium", "-u", mode).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("apertium " + mode + " failed on: " + text);
        }
        return out;
    }
}
