package io.parley.speech.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An Ogg Opus stream (RFC 7845) arriving in chunks of any size, as MediaRecorder and Deepgram's
 * clients send it ({@code encoding=opus}): pages are reassembled across chunks, packets across
 * pages, the {@code OpusHead} packet sets the channels, {@code OpusTags} is skipped, and every
 * audio packet goes to the same Opus decoder as one-packet-per-frame streams.
 */
public final class OggOpusStreamDecoder implements AudioDecoder {

    /** The largest page Ogg allows: a 27-byte header, 255 lacing values, 255 × 255 bytes of body. */
    private static final int MAX_PAGE = 27 + 255 + 255 * 255;

    private byte[] pending = new byte[0];
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    private OpusPacketDecoder opus;
    private boolean tagsSeen;

    @Override
    public float[] decode(byte[] chunk) {
        byte[] data = Arrays.copyOf(pending, pending.length + chunk.length);
        System.arraycopy(chunk, 0, data, pending.length, chunk.length);
        float[] out = new float[0];
        int at = 0;
        while (data.length - at >= 27) {
            if (data[at] != 'O' || data[at + 1] != 'g' || data[at + 2] != 'g' || data[at + 3] != 'S') {
                pending = new byte[0];
                throw new AudioFormatException("bad_audio_frame", "not an Ogg stream: a page does not start with OggS"
                        + " (encoding=opus takes Ogg Opus, as MediaRecorder writes it)");
            }
            int segments = data[at + 26] & 0xFF;
            if (data.length - at < 27 + segments) {
                break;
            }
            int body = 0;
            for (int i = 0; i < segments; i++) {
                body += data[at + 27 + i] & 0xFF;
            }
            if (data.length - at < 27 + segments + body) {
                break;
            }
            int p = at + 27 + segments;
            for (int i = 0; i < segments; i++) {
                int len = data[at + 27 + i] & 0xFF;
                packet.write(data, p, len);
                p += len;
                if (len < 255) { // a lacing value under 255 ends the packet
                    out = append(out, onPacket(packet.toByteArray()));
                    packet.reset();
                }
            }
            at += 27 + segments + body;
        }
        pending = Arrays.copyOfRange(data, at, data.length);
        if (pending.length > MAX_PAGE || packet.size() > 4 * MAX_PAGE) {
            pending = new byte[0];
            packet.reset();
            throw new AudioFormatException("bad_audio_frame", "no whole Ogg page in " + MAX_PAGE + " bytes");
        }
        return out;
    }

    private float[] onPacket(byte[] p) {
        if (opus == null) {
            if (p.length < 19 || !new String(p, 0, 8, StandardCharsets.US_ASCII).equals("OpusHead")) {
                throw new AudioFormatException("bad_audio_frame", "the Ogg stream does not begin with an OpusHead packet:"
                        + " it is not Opus");
            }
            int channels = p[9] & 0xFF;
            if (channels < 1 || channels > 2) {
                throw new AudioFormatException("unsupported_channels", "Opus streams of 1 or 2 channels are taken, not "
                        + channels);
            }
            opus = new OpusPacketDecoder(new AudioStreamFormat(AudioEncoding.OPUS, 48_000, channels));
            return new float[0];
        }
        if (!tagsSeen) {
            tagsSeen = true;
            if (p.length >= 8 && new String(p, 0, 8, StandardCharsets.US_ASCII).equals("OpusTags")) {
                return new float[0];
            }
        }
        return p.length == 0 ? new float[0] : opus.decode(p);
    }

    @Override
    public double inputSeconds() {
        return opus == null ? 0 : opus.inputSeconds();
    }

    private static float[] append(float[] a, float[] b) {
        if (b.length == 0) {
            return a;
        }
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
