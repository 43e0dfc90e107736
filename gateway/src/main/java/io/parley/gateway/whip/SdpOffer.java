package io.parley.gateway.whip;

import java.util.List;

/**
 * The few checks a WHIP offer gets before libwebrtc sees it, so that a client sending the wrong
 * thing learns what was wrong: it is SDP, it offers audio, and that audio is sent to us.
 */
public final class SdpOffer {

    /** An offer that cannot be used; the message says why. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private SdpOffer() {
    }

    public static String check(String body) throws Invalid {
        if (body == null || body.isBlank()) {
            throw new Invalid("the body must be an SDP offer (RFC 8866), and it was empty");
        }
        List<String> lines = body.lines().map(String::strip).toList();
        if (!lines.getFirst().equals("v=0")) {
            throw new Invalid("the body is not SDP: an SDP offer starts with the line v=0");
        }
        // Each audio section sends unless it says recvonly or inactive; one that sends is enough.
        int audioSections = 0;
        int silentSections = 0;
        boolean inAudio = false;
        for (String line : lines) {
            if (line.startsWith("m=")) {
                inAudio = line.startsWith("m=audio ");
                audioSections += inAudio ? 1 : 0;
            } else if (inAudio && (line.equals("a=recvonly") || line.equals("a=inactive"))) {
                silentSections++;
            }
        }
        boolean sawAudio = audioSections > 0;
        boolean sendsAudio = silentSections < audioSections;
        if (!sawAudio) {
            throw new Invalid("the offer has no audio (m=audio) section; WHIP ingest here takes one microphone track");
        }
        if (!sendsAudio) {
            throw new Invalid("the offer's audio is recvonly or inactive; a WHIP client sends its audio (sendonly)");
        }
        return body;
    }
}
