package io.parley.gateway.whip;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer a WHIP client receives: the server's candidates, no trickle, rejected sections left alone. */
class AnswerSdpTest {

    /** The shape of libwebrtc's answer to a browser's audio and video offer (video rejected), with no candidate. */
    static final String LIBWEBRTC_ANSWER = String.join("\r\n",
            "v=0", "o=- 75 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0", "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0", "a=ice-ufrag:WT17",
            "a=ice-pwd:DICsthPegdJcupAg41JZO4ch", "a=ice-options:trickle", "a=setup:active", "a=mid:0", "a=recvonly",
            "a=rtcp-mux", "a=rtpmap:111 opus/48000/2",
            "m=video 0 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=inactive") + "\r\n";

    static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void everyCandidateIsTheServersOwnOnTheSessionPort() throws Exception {
        String sdp = AnswerSdp.rewrite(LIBWEBRTC_ANSWER, List.of(v4("10.0.0.5"), v4("127.0.0.1")), 40123);
        List<String> lines = sdp.lines().toList();
        List<String> candidates = lines.stream().filter(l -> l.startsWith("a=candidate:")).toList();
        assertEquals(List.of("a=candidate:1 1 udp 2130706431 10.0.0.5 40123 typ host generation 0",
                "a=candidate:2 1 udp 2130706175 127.0.0.1 40123 typ host generation 0"), candidates);
        // In the audio section, before the rejected video one, closed by end-of-candidates.
        int video = lines.indexOf("m=video 0 UDP/TLS/RTP/SAVPF 96");
        assertTrue(lines.indexOf(candidates.getLast()) < video);
        assertEquals("a=end-of-candidates", lines.get(video - 1));
        // The default candidate (RFC 8839) is the first address.
        assertTrue(lines.contains("m=audio 40123 UDP/TLS/RTP/SAVPF 111"), sdp);
        assertTrue(lines.contains("c=IN IP4 10.0.0.5"));
        assertTrue(lines.contains("a=rtcp:40123 IN IP4 10.0.0.5"));
        // The rejected section stays rejected, with no candidate.
        assertEquals("c=IN IP4 0.0.0.0", lines.get(video + 1));
        assertEquals(1, lines.stream().filter(l -> l.equals("a=end-of-candidates")).count());
        assertTrue(sdp.endsWith("\r\n") && !sdp.contains("\r\n\r\n"));
    }

    @Test
    void trickleIsNoLongerAdvertisedButOtherOptionsStay() throws Exception {
        String plain = AnswerSdp.rewrite(LIBWEBRTC_ANSWER, List.of(v4("127.0.0.1")), 5000);
        assertFalse(plain.contains("trickle"), plain);
        assertFalse(plain.contains("a=ice-options"), "an empty option line is dropped");
        String renomination = AnswerSdp.rewrite(LIBWEBRTC_ANSWER.replace("a=ice-options:trickle",
                "a=ice-options:trickle renomination"), List.of(v4("127.0.0.1")), 5000);
        assertTrue(renomination.contains("a=ice-options:renomination\r\n"), renomination);
    }

    @Test
    void candidatesLibwebrtcMightHaveWrittenAreReplaced() throws Exception {
        String withOwn = LIBWEBRTC_ANSWER.replace("a=mid:0", "a=mid:0\r\na=candidate:9 1 udp 1 192.168.1.9 9 typ host\r\na=end-of-candidates");
        String sdp = AnswerSdp.rewrite(withOwn, List.of(v4("127.0.0.1")), 5000);
        assertFalse(sdp.contains("192.168.1.9"), sdp);
        assertEquals(1, sdp.lines().filter(l -> l.startsWith("a=candidate:")).count());
    }

    @Test
    void anAnswerNeedsAnAddress() {
        assertThrows(IllegalArgumentException.class, () -> AnswerSdp.rewrite(LIBWEBRTC_ANSWER, List.of(), 5000));
    }
}
