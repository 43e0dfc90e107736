package io.parley.gateway.files;

import io.parley.gateway.config.FileLimits;
import io.parley.gateway.protocol.ErrorCodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * Every other format, decoded by Debian's ffmpeg in a process of its own: the first audio stream,
 * mixed to mono and resampled to 16 kHz, read from its output as it comes. The process runs
 * under limits on CPU time and address space (a file built to make a decoder spin or swell
 * takes down nothing but that process), and {@code -xerror} makes a damaged stream an error
 * rather than audio with holes.
 */
final class FfmpegStream {

    private static final int RATE = 16_000;

    private final Path ffmpeg;
    private final Path ffprobe;
    private final FileLimits limits;

    FfmpegStream(Path ffmpeg, Path ffprobe, FileLimits limits) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.limits = limits;
    }

    /** The container's own idea of the duration, if it has one (streamed WebM often has none). */
    OptionalDouble probeSeconds(Path file) throws IOException, InterruptedException {
        Process p = bounded(List.of(ffprobe.toString(), "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", "file:" + file));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readNBytes(256);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(new String(out, StandardCharsets.US_ASCII).strip());
            return Double.isFinite(d) && d >= 0 ? OptionalDouble.of(d) : OptionalDouble.empty();
        } catch (NumberFormatException unknown) {
            return OptionalDouble.empty();
        }
    }

    /** Streams the file's first audio stream to {@code sink}; the seconds read. */
    double read(Path file, MediaKind kind, double maxSeconds, AudioSink sink)
            throws IOException, InterruptedException, MediaRefused {
        List<String> command = List.of(ffmpeg.toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-xerror",
                "-i", "file:" + file, "-map", "0:a:0", "-vn", "-ac", "1", "-ar", String.valueOf(RATE),
                // A little past the limit, so that "too long" is told apart from "exactly as long as allowed".
                "-t", String.format(java.util.Locale.ROOT, "%.3f", maxSeconds + 1),
                "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1");
        Process p = bounded(command);
        p.getOutputStream().close();
        StringBuilder errors = new StringBuilder();
        Thread errorReader = Thread.ofVirtual().start(() -> {
            try (InputStream err = p.getErrorStream()) {
                byte[] all = err.readNBytes(64 * 1024);
                synchronized (errors) {
                    errors.append(new String(all, StandardCharsets.UTF_8));
                }
                err.transferTo(java.io.OutputStream.nullOutputStream()); // beyond 64 KB: read, not kept
            } catch (IOException ignored) {
                // the process ended
            }
        });
        long samples = 0;
        try (InputStream out = p.getInputStream()) {
            byte[] block = new byte[RATE * 2];
            while (true) {
                int n = out.readNBytes(block, 0, block.length);
                n -= n % 2;
                if (n <= 0) {
                    break;
                }
                samples += n / 2;
                if (samples / (double) RATE > maxSeconds) {
                    throw AudioFileDecoder.tooLong(maxSeconds);
                }
                sink.accept(convert(block, n));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "the decoder did not finish with the " + kind.label()
                        + " file");
            }
        } finally {
            p.destroyForcibly();
            errorReader.join(5000);
        }
        int exit = p.exitValue();
        String err;
        synchronized (errors) {
            err = clean(errors.toString(), file);
        }
        if (exit != 0) {
            if (exit == 128 + 24 || exit == 128 + 9 && err.isEmpty()) { // SIGXCPU, or killed at the hard CPU limit
                throw new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "decoding the " + kind.label() + " file took more"
                        + " than the decoder's CPU time limit (" + limits.decoderCpuTime().toSeconds() + " s)");
            }
            if (err.contains("matches no streams") || err.contains("does not contain any stream")) {
                throw new MediaRefused(ErrorCodes.NO_AUDIO, 400, "the " + kind.label() + " file has no audio stream");
            }
            throw new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "the " + kind.label() + " file cannot be decoded"
                    + (samples > 0 ? String.format(java.util.Locale.ROOT, " after %.1f s", samples / (double) RATE) : "")
                    + " (truncated or damaged?)" + (err.isEmpty() ? "" : ": " + err));
        }
        return samples / (double) RATE;
    }

    private static float[] convert(byte[] pcm, int length) {
        ByteBuffer b = ByteBuffer.wrap(pcm, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getShort() / 32768f;
        }
        return out;
    }

    /** ffmpeg's last error lines, without the file's path (a temporary name nobody needs to see). */
    private static String clean(String stderr, Path file) {
        List<String> lines = new ArrayList<>();
        for (String line : stderr.replace("file:" + file, "input").replace(file.toString(), "input").split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && lines.size() < 3) {
                lines.add(l.length() > 200 ? l.substring(0, 200) + "…" : l);
            }
        }
        return String.join("; ", lines);
    }

    /** ffmpeg or ffprobe under this server's limits on CPU time and memory. */
    private Process bounded(List<String> command) throws IOException {
        List<String> sh = new ArrayList<>(List.of("sh", "-c",
                "ulimit -t " + limits.decoderCpuTime().toSeconds() + " && ulimit -v " + limits.decoderMemoryBytes() / 1024
                        + " && exec \"$0\" \"$@\""));
        sh.addAll(command);
        return new ProcessBuilder(sh).start();
    }
}
