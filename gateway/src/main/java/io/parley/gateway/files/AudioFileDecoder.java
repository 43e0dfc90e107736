package io.parley.gateway.files;

import io.parley.gateway.config.FileLimits;
import io.parley.gateway.protocol.ErrorCodes;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A recorded file to 16 kHz mono audio, streamed block by block: the kind is told by the file's
 * first bytes ({@link MediaKind}), 16-bit PCM WAV is read in Java, everything else by ffmpeg
 * ({@link FfmpegStream}). Anything that is not a supported container is refused before a decoder
 * sees it; a file longer than the limit is refused from its declared duration where it has one,
 * and otherwise as soon as the decoder passes the limit.
 */
public final class AudioFileDecoder {

    /** What was decoded. */
    public record Decoded(MediaKind kind, double seconds) {
    }

    private final FileLimits limits;
    private final Optional<FfmpegStream> ffmpeg;

    public AudioFileDecoder(FileLimits limits, Optional<Path> ffmpegBinary) {
        this.limits = limits;
        this.ffmpeg = ffmpegBinary.map(f -> new FfmpegStream(f, f.resolveSibling("ffprobe"), limits));
    }

    /** With ffmpeg from the PATH, if it is installed. */
    public static AudioFileDecoder withSystemFfmpeg(FileLimits limits) {
        return new AudioFileDecoder(limits, findOnPath("ffmpeg"));
    }

    /** Whether formats beyond WAV can be decoded here. */
    public boolean hasFfmpeg() {
        return ffmpeg.isPresent();
    }

    public FileLimits limits() {
        return limits;
    }

    /** The kind of the file and its duration if the container declares it, before any decoding. */
    public Probe probe(Path file) throws IOException, MediaRefused, InterruptedException {
        MediaKind kind = kind(file);
        if (kind == MediaKind.WAV) {
            try (DataInputStream in = open(file)) {
                Optional<WavStream.Header> h = WavStream.header(in);
                if (h.isPresent()) {
                    double s = h.get().seconds();
                    return new Probe(kind, s < 0 ? OptionalDouble.empty() : OptionalDouble.of(s));
                }
            }
        }
        return new Probe(kind, needFfmpeg(kind).probeSeconds(file));
    }

    /** A file's kind and, where its container says, its length. */
    public record Probe(MediaKind kind, OptionalDouble seconds) {
    }

    /**
     * Decodes the whole file into {@code sink}.
     *
     * @throws MediaRefused with {@code unsupported_media_type}, {@code corrupt_media}, {@code no_audio},
     *                      {@code media_too_long} or {@code decoder_unavailable}
     */
    public Decoded decode(Path file, AudioSink sink) throws IOException, MediaRefused, InterruptedException {
        Probe probe = probe(file);
        if (probe.seconds().isPresent() && probe.seconds().getAsDouble() > limits.maxFileSeconds()) {
            throw tooLong(limits.maxFileSeconds());
        }
        if (probe.kind() == MediaKind.WAV) {
            try (DataInputStream in = open(file)) {
                Optional<WavStream.Header> h = WavStream.header(in);
                if (h.isPresent()) {
                    return new Decoded(MediaKind.WAV, WavStream.read(in, h.get(), limits.maxFileSeconds(), sink));
                }
            }
        }
        if (probe.kind() == MediaKind.OGG) {
            OggPages.checkComplete(file);
        }
        FfmpegStream decoder = needFfmpeg(probe.kind());
        double seconds = decoder.read(file, probe.kind(), limits.maxFileSeconds(), sink);
        // A container that declares its length (FLAC, M4A, WebM with a duration) and decodes to much less was cut short.
        if (probe.seconds().isPresent() && seconds < probe.seconds().getAsDouble() * 0.97 - 1) {
            throw new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, String.format(Locale.ROOT, "the %s file ends after %.1f s"
                    + " of the %.1f s it declares (the upload was cut short?)", probe.kind().label(), seconds,
                    probe.seconds().getAsDouble()));
        }
        return new Decoded(probe.kind(), seconds);
    }

    private static MediaKind kind(Path file) throws IOException, MediaRefused {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MediaKind.SNIFF_BYTES);
        }
        if (head.length == 0) {
            throw new MediaRefused(ErrorCodes.CORRUPT_MEDIA, 400, "the file is empty");
        }
        return MediaKind.sniff(head).orElseThrow(() -> new MediaRefused(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, 415,
                "this is not an audio file this server reads: send WAV, FLAC, MP3, Ogg (Opus or Vorbis), WebM (Opus)"
                        + " or M4A (AAC)"));
    }

    private FfmpegStream needFfmpeg(MediaKind kind) throws MediaRefused {
        return ffmpeg.orElseThrow(() -> new MediaRefused(ErrorCodes.DECODER_UNAVAILABLE, 503, kind.label()
                + " files need ffmpeg, which is not installed on this server (apt-get install ffmpeg);"
                + " 16-bit PCM WAV works without it"));
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    static MediaRefused tooLong(double maxSeconds) {
        long s = Math.round(maxSeconds);
        String limit = s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
        return new MediaRefused(ErrorCodes.MEDIA_TOO_LONG, 413, "the audio is longer than this server takes (" + limit
                + "); split it, or raise --limit maxFileSeconds");
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
