package io.parley.gateway.files;

import io.parley.gateway.protocol.ErrorCodes;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An Ogg file's page structure, walked without decoding (RFC 3533): a file cut short ends inside
 * a page or without the page that marks the end of its stream. ffmpeg decodes such a file
 * without complaint, as the shorter stream it looks like, so the check is made here.
 */
final class OggPages {

    private static final int END_OF_STREAM = 0x04;

    private OggPages() {
    }

    /** Throws {@code corrupt_media} when the file does not end as a whole Ogg stream does. */
    static void checkComplete(Path file) throws IOException, MediaRefused {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int lastFlags = -1;
            long pages = 0;
            while (true) {
                int first = in.read();
                if (first < 0) {
                    break;
                }
                byte[] header = new byte[27]; // "OggS", version, flags, granule (8), serial, sequence, CRC, segments
                header[0] = (byte) first;
                in.readFully(header, 1, 26);
                if (header[0] != 'O' || header[1] != 'g' || header[2] != 'g' || header[3] != 'S') {
                    throw cut("page " + (pages + 1) + " does not start where the last one ended");
                }
                int flags = header[5] & 0xFF;
                int segments = header[26] & 0xFF;
                byte[] lacing = new byte[segments];
                in.readFully(lacing);
                long body = 0;
                for (byte l : lacing) {
                    body += l & 0xFF;
                }
                in.skipNBytes(body);
                lastFlags = flags;
                pages++;
            }
            if (pages == 0 || (lastFlags & END_OF_STREAM) == 0) {
                throw cut("it ends without the page that closes its stream");
            }
        } catch (EOFException e) {
            throw cut("it ends in the middle of a page");
        }
    }

    private static MediaRefused cut(String why) {
        return new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "the Ogg file is incomplete: " + why
                + " (the upload was cut short, or the recording was not stopped properly)");
    }
}
