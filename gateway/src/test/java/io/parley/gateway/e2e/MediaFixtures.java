package io.parley.gateway.e2e;

import io.parley.testkit.TempFolders;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recorded-file fixtures made from the test clips by Debian's ffmpeg (which {@code ./parley test}
 * installs): the same speech as Ogg/Opus, FLAC, MP3, M4A/AAC and WebM/Opus, so that every format
 * is checked against the clip's own reference transcript.
 */
public final class MediaFixtures {

    private MediaFixtures() {
    }

    /** {@code wav} encoded as {@code extension} ({@code ogg}, {@code flac}, {@code mp3}, {@code m4a}, {@code webm}). */
    public static Path encode(Path wav, String extension) throws Exception {
        List<String> codec = switch (extension) {
            case "ogg", "webm" -> List.of("-c:a", "libopus", "-b:a", "32k");
            case "flac" -> List.of("-c:a", "flac");
            case "mp3" -> List.of("-c:a", "libmp3lame", "-b:a", "64k");
            case "m4a" -> List.of("-c:a", "aac", "-b:a", "64k");
            default -> throw new IllegalArgumentException(extension);
        };
        Path out = TempFolders.create("parley-media-").resolve(wav.getFileName().toString().replaceAll("\\.wav$", "") + "." + extension);
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", wav.toString()));
        command.addAll(codec);
        command.add(out.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make the ." + extension + " fixture: " + log);
        }
        return out;
    }

    /** A 16 kHz mono 16-bit WAV of {@code seconds} of silence. */
    public static byte[] silentWav(double seconds) {
        int samples = (int) (seconds * 16_000);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + samples * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + samples * 2).put("WAVE".getBytes(StandardCharsets.US_ASCII))
                .put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16_000).putInt(32_000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * 2);
        return b.array();
    }

    /** The first {@code fraction} of a file's bytes: an upload cut short. */
    public static Path truncated(Path file, double fraction) throws Exception {
        byte[] all = Files.readAllBytes(file);
        Path out = TempFolders.create("parley-media-").resolve("cut-" + file.getFileName());
        Files.write(out, java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
        return out;
    }

    /** A multipart/form-data body, as the vendors' SDKs send it. */
    public static final class Multipart {
        private final String boundary = "parley-" + Long.toHexString(System.nanoTime());
        private final java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();

        public Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        public Multipart file(String name, String filename, byte[] content, String type) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: " + type + "\r\n\r\n");
            body.writeBytes(content);
            write("\r\n");
            return this;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] bytes() {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(body.toByteArray());
            out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }

        private void write(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
