package io.parley.gateway.config;

import java.time.Duration;

/**
 * What a recorded file sent for transcription may be (Deepgram's {@code POST /v1/listen},
 * OpenAI's {@code /v1/audio/*}, {@code parley transcribe}), validated at start-up and set with
 * {@code --limit NAME=VALUE} like the other limits.
 *
 * @param maxUploadBytes     largest upload; beyond it the request is refused (413) without
 *                           reading the rest
 * @param maxFileSeconds     longest audio; a file that decodes to more is refused (413) as soon
 *                           as the decoder gets there, before any of it is recognised
 * @param decoderCpuTime     CPU time the decoder (ffmpeg) may use on one file, so that a file
 *                           built to make it spin cannot hold a core
 * @param decoderMemoryBytes address space the decoder may take
 * @param maxConcurrentFiles files transcribed at once in the whole server; more wait in line
 *                           and get {@code 503} when the line is full
 * @param allowUrlSources    whether Deepgram's {@code {"url": ...}} requests are served: the
 *                           gateway then fetches whatever http(s) address a client names, its
 *                           own network's included, so it is off unless an operator trusts the
 *                           clients that hold the key
 */
public record FileLimits(long maxUploadBytes, double maxFileSeconds, Duration decoderCpuTime, long decoderMemoryBytes,
                         int maxConcurrentFiles, boolean allowUrlSources) {

    public static FileLimits defaults() {
        return new FileLimits(1024L * 1024 * 1024, 4 * 3600, Duration.ofMinutes(5), 1024L * 1024 * 1024, 2, false);
    }

    public FileLimits(long maxUploadBytes, double maxFileSeconds, Duration decoderCpuTime, long decoderMemoryBytes,
                      int maxConcurrentFiles) {
        this(maxUploadBytes, maxFileSeconds, decoderCpuTime, decoderMemoryBytes, maxConcurrentFiles, false);
    }

    public FileLimits {
        Check.between("maxUploadBytes", maxUploadBytes, 1024, 64L * 1024 * 1024 * 1024);
        if (!(maxFileSeconds >= 1 && maxFileSeconds <= 48 * 3600)) {
            throw new IllegalArgumentException("limits: maxFileSeconds must be between 1 and 172800 (48 h), not "
                    + maxFileSeconds);
        }
        Check.between("decoderCpuTime", decoderCpuTime, Duration.ofSeconds(1), Duration.ofHours(6));
        Check.between("decoderMemoryBytes", decoderMemoryBytes, 64L * 1024 * 1024, 64L * 1024 * 1024 * 1024);
        Check.between("maxConcurrentFiles", maxConcurrentFiles, 1, 256);
    }
}
