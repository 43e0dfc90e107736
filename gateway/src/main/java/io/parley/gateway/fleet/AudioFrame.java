package io.parley.gateway.fleet;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * A piece of a speaker's audio on its way from the edge to the worker: which stream and which
 * placement of it ({@code generation}: a stream moved to another worker starts a new one, and
 * audio of an old one is dropped), then 16 kHz 16-bit little-endian PCM, half the bytes of floats.
 */
record AudioFrame(String streamId, int generation, float[] samples) {

    Buffer encode() {
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        Buffer b = Buffer.buffer(6 + id.length + samples.length * 2);
        b.appendInt(generation).appendUnsignedShort(id.length).appendBytes(id);
        for (float f : samples) {
            float c = Math.max(-1f, Math.min(1f, f));
            b.appendShortLE((short) Math.round(c * 32767f));
        }
        return b;
    }

    /** Reads a frame; a malformed one (not from a node of this version) fails with IllegalArgumentException. */
    static AudioFrame decode(Buffer b) {
        if (b.length() < 6) {
            throw new IllegalArgumentException("an audio frame of " + b.length() + " bytes");
        }
        int generation = b.getInt(0);
        int idLength = b.getUnsignedShort(4);
        int pcm = 6 + idLength;
        if (pcm > b.length() || (b.length() - pcm) % 2 != 0) {
            throw new IllegalArgumentException("a malformed audio frame");
        }
        String id = b.getString(6, pcm, "UTF-8");
        float[] samples = new float[(b.length() - pcm) / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = b.getShortLE(pcm + 2 * i) / 32768f;
        }
        return new AudioFrame(id, generation, samples);
    }
}
