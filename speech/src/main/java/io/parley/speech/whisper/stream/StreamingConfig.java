package io.parley.speech.whisper.stream;

import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.vad.VadConfig;

/**
 * How Whisper streams, validated at start-up.
 *
 * <p>Two kinds of pass decode the window. Partial passes run while speech goes on, every
 * {@code stepMs} of new audio; their text is replaced by the next one, so they run the encoder on
 * the audio actually present and a second of silence after it ({@code partialBlockFrames}) and
 * decode greedily. Final passes close
 * an utterance (at an endpoint, or when the window grows past {@code maxWindowSeconds}); their
 * text is what is kept, so they run the encoder on the context chosen for accuracy
 * ({@code finalBlockFrames}, 0 for Whisper's full 30 s) with temperature fallback and
 * {@code beamSize}.
 *
 * @param model              {@code base}, {@code tiny.en}, {@code small} or a model folder
 * @param precision          weight storage: f32, f16 or int8
 * @param stepMs             during speech, the window is decoded again after this much new audio
 * @param firstStepMs        the first partial of an utterance waits for this much of it (the VAD's
 *                           padding before the speech included), and partials come at least this far apart
 *                           once one has shown words (half as far before that, in the first {@code stepMs})
 * @param maxWindowSeconds   above this the window is closed at its last complete segment
 * @param partialBlockFrames partial passes encode the audio present rounded up to this many frames (0: full window)
 * @param finalBlockFrames   final passes likewise; 0 for the full 30 s window
 * @param beamSize           final passes: 1 for greedy search, more for beam search
 * @param promptTokens       text of earlier finals offered to the decoder as context, at most
 * @param vad                speech start and endpoint detection
 * @param maxSessions        concurrent streams
 * @param maxBacklogSeconds  audio a stream may hold unprocessed before it refuses more
 * @param agreement          which words of a partial are settled (never shown changed afterwards)
 */
public record StreamingConfig(String model, Precision precision, int stepMs, int firstStepMs, double maxWindowSeconds,
                              int partialBlockFrames, int finalBlockFrames, int beamSize, int promptTokens,
                              VadConfig vad, int maxSessions, double maxBacklogSeconds, Agreement agreement) {

    /** How a partial's words are settled; see {@link AgreementPolicy}. */
    public enum Agreement {
        /** Words on which two successive decodings agree ({@link LocalAgreement}). */
        LOCAL_AGREEMENT("local-agreement"),
        /** Words the decoder attended to well before the end of the audio ({@link AlignAttPolicy}). */
        ALIGN_ATT("align-att");

        private final String label;

        Agreement(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Agreement parse(String s) {
            for (Agreement a : values()) {
                if (a.label.equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("the streaming policy is local-agreement or align-att, not '" + s + "'");
        }
    }

    public static StreamingConfig defaults() {
        return new StreamingConfig("base", Precision.INT8, 1000, 300, 15.0, 100, 0, 1, 128, VadConfig.defaults(), 8,
                30.0, Agreement.LOCAL_AGREEMENT);
    }

    public StreamingConfig {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("whisper: a model is required (base, tiny.en, small or a folder)");
        }
        if (precision == null) {
            throw new IllegalArgumentException("whisper: a precision is required (f32, f16 or int8)");
        }
        if (stepMs < 200 || stepMs > 10_000) {
            throw new IllegalArgumentException("whisper: stepMs must be between 200 and 10000, not " + stepMs);
        }
        if (firstStepMs < 200 || firstStepMs > 10_000) {
            throw new IllegalArgumentException("whisper: firstStepMs must be between 200 and 10000, not " + firstStepMs);
        }
        if (maxWindowSeconds < 5 || maxWindowSeconds > 28) {
            throw new IllegalArgumentException("whisper: maxWindowSeconds must be between 5 and 28 (a window holds at most 30 s)");
        }
        checkBlock("partialBlockFrames", partialBlockFrames);
        checkBlock("finalBlockFrames", finalBlockFrames);
        if (beamSize < 1 || beamSize > 8) {
            throw new IllegalArgumentException("whisper: beam size must be 1 to 8, not " + beamSize);
        }
        if (promptTokens < 0 || promptTokens > 223) {
            throw new IllegalArgumentException("whisper: promptTokens must be 0 to 223, not " + promptTokens);
        }
        if (vad == null) {
            throw new IllegalArgumentException("whisper: a VAD configuration is required");
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("whisper: maxSessions must be at least 1");
        }
        if (maxBacklogSeconds < 1) {
            throw new IllegalArgumentException("whisper: maxBacklogSeconds must be at least 1");
        }
        if (agreement == null) {
            throw new IllegalArgumentException("whisper: a streaming policy is required (local-agreement or align-att)");
        }
    }

    private static void checkBlock(String name, int frames) {
        if (frames < 0 || frames > 3000 || frames % 2 != 0) {
            throw new IllegalArgumentException("whisper: " + name + " must be 0 (the full window) or an even number of"
                    + " mel frames up to 3000 (100 frames = 1 s), not " + frames);
        }
    }

    public StreamingConfig withModel(String m, Precision p) {
        return new StreamingConfig(m, p, stepMs, firstStepMs, maxWindowSeconds, partialBlockFrames, finalBlockFrames,
                beamSize, promptTokens, vad, maxSessions, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withMaxSessions(int n) {
        return new StreamingConfig(model, precision, stepMs, firstStepMs, maxWindowSeconds, partialBlockFrames,
                finalBlockFrames, beamSize, promptTokens, vad, n, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withContext(int partialFrames, int finalFrames) {
        return new StreamingConfig(model, precision, stepMs, firstStepMs, maxWindowSeconds, partialFrames, finalFrames,
                beamSize, promptTokens, vad, maxSessions, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withVad(VadConfig v) {
        return new StreamingConfig(model, precision, stepMs, firstStepMs, maxWindowSeconds, partialBlockFrames,
                finalBlockFrames, beamSize, promptTokens, v, maxSessions, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withBeamSize(int b) {
        return new StreamingConfig(model, precision, stepMs, firstStepMs, maxWindowSeconds, partialBlockFrames,
                finalBlockFrames, b, promptTokens, vad, maxSessions, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withStepMs(int step) {
        return new StreamingConfig(model, precision, step, firstStepMs, maxWindowSeconds, partialBlockFrames,
                finalBlockFrames, beamSize, promptTokens, vad, maxSessions, maxBacklogSeconds, agreement);
    }

    public StreamingConfig withAgreement(Agreement a) {
        return new StreamingConfig(model, precision, stepMs, firstStepMs, maxWindowSeconds, partialBlockFrames,
                finalBlockFrames, beamSize, promptTokens, vad, maxSessions, maxBacklogSeconds, a);
    }
}
