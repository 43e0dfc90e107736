package io.parley.gateway.whip;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDP answer as the client receives it: libwebrtc's answer with this server's candidates
 * written in, and without the trickle ICE it does not do.
 *
 * <ul>
 *   <li>Each media section that is not rejected (port 0) gets one host candidate per offered
 *       address on the session's UDP port, then {@code a=end-of-candidates}; its {@code m=} port,
 *       {@code c=} and {@code a=rtcp} lines name the first of them, the default candidate of
 *       RFC 8839, for clients that read those.</li>
 *   <li>{@code trickle} leaves {@code a=ice-options}: a server that answers {@code PATCH} with 405
 *       must not advertise it (RFC 9725 §4.3.1).</li>
 * </ul>
 */
final class AnswerSdp {

    /** ICE priority of a host candidate (type preference 126), highest local preference first (RFC 8445 §5.1.2.1). */
    private static long priority(int index) {
        int localPreference = 65535 - index;
        return (126L << 24) + ((long) localPreference << 8) + (256 - 1);
    }

    private AnswerSdp() {
    }

    static String rewrite(String answer, List<Inet4Address> addresses, int port) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("an answer needs at least one candidate address");
        }
        String first = addresses.getFirst().getHostAddress();
        List<String> out = new ArrayList<>();
        boolean inMedia = false;
        boolean mediaOpen = false;
        for (String line : answer.split("\r\n|\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("m=")) {
                if (mediaOpen) {
                    appendCandidates(out, addresses, port);
                }
                inMedia = true;
                String[] f = line.split(" ", 3);
                mediaOpen = f.length == 3 && !f[1].equals("0");
                out.add(mediaOpen ? f[0] + " " + port + " " + f[2] : line);
                continue;
            }
            if (line.startsWith("a=candidate:") || line.equals("a=end-of-candidates")) {
                continue; // the server's own candidates, and only those, are offered
            }
            if (line.startsWith("a=ice-options:")) {
                String options = String.join(" ", java.util.Arrays.stream(line.substring("a=ice-options:".length()).split(" "))
                        .filter(o -> !o.isBlank() && !o.equals("trickle")).toList());
                if (!options.isEmpty()) {
                    out.add("a=ice-options:" + options);
                }
                continue;
            }
            if (inMedia && mediaOpen && line.startsWith("c=IN IP4 ")) {
                out.add("c=IN IP4 " + first);
                continue;
            }
            if (inMedia && mediaOpen && line.startsWith("a=rtcp:")) {
                out.add("a=rtcp:" + port + " IN IP4 " + first);
                continue;
            }
            out.add(line);
        }
        if (mediaOpen) {
            appendCandidates(out, addresses, port);
        }
        return String.join("\r\n", out) + "\r\n";
    }

    private static void appendCandidates(List<String> out, List<Inet4Address> addresses, int port) {
        for (int i = 0; i < addresses.size(); i++) {
            out.add("a=candidate:" + (i + 1) + " 1 udp " + priority(i) + " " + addresses.get(i).getHostAddress() + " " + port
                    + " typ host generation 0");
        }
        out.add("a=end-of-candidates");
    }
}
