package io.parley.speech.whisper;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.DeviceArray;
import io.parley.kernels.accel.MelSpec;
import io.parley.speech.whisper.align.WordAligner;
import io.parley.speech.whisper.decode.DecodingResult;
import io.parley.speech.whisper.decode.LanguageProbabilities;
import io.parley.speech.whisper.decode.Segment;
import io.parley.speech.whisper.decode.Segmenter;
import io.parley.speech.whisper.decode.TranscribeOptions;
import io.parley.speech.whisper.decode.Transcript;
import io.parley.speech.whisper.decode.WindowDecoder;
import io.parley.speech.whisper.decode.WordTiming;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.model.WhisperConfig;
import io.parley.speech.whisper.model.WhisperModel;
import io.parley.speech.whisper.text.WhisperTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One loaded Whisper model with its tokenizer and configuration, and what can be done with a
 * window of audio: features, encoding, decoding, language identification, word alignment, and
 * whole recordings transcribed window by window as OpenAI's {@code transcribe} does.
 */
public final class WhisperEngine implements AutoCloseable {

    public static final int SAMPLE_RATE = 16000;
    public static final int HOP = 160;
    static final int N_FFT = 400;
    public static final int WINDOW_FRAMES = 3000;
    public static final int WINDOW_SAMPLES = WINDOW_FRAMES * HOP;

    private final String name;
    private final WhisperModel model;
    private final WhisperTokenizer tokenizer;
    private final WhisperConfig config;
    private final WindowDecoder decoder;
    private final WordAligner aligner;
    private final MelSpec mel;

    private WhisperEngine(String name, WhisperModel model, WhisperTokenizer tokenizer, WhisperConfig config) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.decoder = new WindowDecoder(model, tokenizer, config);
        this.aligner = new WordAligner(model, tokenizer, config.alignmentHeads());
        this.mel = MelSpec.whisper(model.dims().nMels());
    }

    /** Loads a model folder (model.bin, tokenizer.json, config.json). */
    public static WhisperEngine load(Path dir, Accelerator acc, Precision precision) throws IOException {
        WhisperTokenizer tokenizer = WhisperTokenizer.load(dir.resolve("tokenizer.json"));
        WhisperConfig config = WhisperConfig.load(dir.resolve("config.json"));
        WhisperModel model = WhisperModel.load(dir.resolve("model.bin"), acc, precision);
        if (model.dims().vocab() != tokenizer.size()) {
            model.close();
            throw new IllegalArgumentException(dir + ": the tokenizer has " + tokenizer.size() + " tokens but the model "
                    + model.dims().vocab() + " (files of two different models?)");
        }
        return new WhisperEngine(dir.getFileName().toString(), model, tokenizer, config);
    }

    public String name() {
        return name;
    }

    public WhisperModel model() {
        return model;
    }

    public WhisperTokenizer tokenizer() {
        return tokenizer;
    }

    public WindowDecoder decoder() {
        return decoder;
    }

    public WordAligner aligner() {
        return aligner;
    }

    public boolean multilingual() {
        return model.dims().multilingual();
    }

    /**
     * Log-mel features of audio followed by 30 s of silence (Whisper's padding, which also sets
     * the level the features are clamped against), {@code frames x nMels}, time-major.
     */
    public float[] features(float[] audio) {
        return features(audio, audio.length / HOP + WINDOW_FRAMES);
    }

    /**
     * The first {@code frames} log-mel frames of {@code audio} followed by silence (at least the
     * audio's own frames): the same values as {@link #features(float[])} gives for them, at the
     * cost of the audio's frames only. They are exact because the zeros past the audio add
     * nothing to the log-mel maximum that Whisper clamps against, so every frame that sees only
     * zeros has one and the same value, which is computed once and copied; and the STFT's
     * reflection at the end of the buffer mirrors only zeros once there are {@code N_FFT} of
     * them past the last frame computed.
     */
    public float[] features(float[] audio, int frames) {
        int wanted = Math.max(audio.length / HOP + 1, frames) + 3;
        // Frame i covers samples [i*HOP - N_FFT/2, i*HOP + N_FFT/2): from this one on, zeros only.
        int firstSilent = (audio.length + N_FFT / 2 + HOP - 1) / HOP;
        int computed = Math.min(wanted, firstSilent + 1);
        int samples = (computed + 3) * HOP;
        int nMels = mel.nMels();
        Accelerator acc = model.accelerator();
        float[] head;
        try (DeviceArray in = acc.allocate(samples); DeviceArray out = acc.allocate(samples / HOP * nMels)) {
            acc.write(in, 0, audio, 0, audio.length);
            acc.logMel(in, samples, mel, out);
            head = acc.read(out);
        }
        float[] features = new float[wanted * nMels];
        System.arraycopy(head, 0, features, 0, computed * nMels);
        for (int f = computed; f < wanted; f++) {
            System.arraycopy(head, (computed - 1) * nMels, features, f * nMels, nMels);
        }
        return features;
    }

    /**
     * Encodes the window of {@code features} starting at frame {@code start}: all 3000 frames, or
     * with {@code blockFrames > 0} only the {@code contentFrames} of real audio rounded up to a
     * multiple of it.
     */
    public WhisperModel.Encoded encode(float[] features, int start, int contentFrames, int blockFrames) {
        int frames = encoderFrames(contentFrames, blockFrames);
        return model.encode(melWindow(features, start, frames), frames);
    }

    /** Frames the encoder runs on: the full window, or the content rounded up to a block. */
    public static int encoderFrames(int contentFrames, int blockFrames) {
        if (blockFrames <= 0) {
            return WINDOW_FRAMES;
        }
        return Math.min(WINDOW_FRAMES, Math.max(blockFrames, (contentFrames + blockFrames - 1) / blockFrames * blockFrames));
    }

    /** {@code frames} frames of {@code features} from {@code start}, zero past their end. */
    public float[] melWindow(float[] features, int start, int frames) {
        int nMels = mel.nMels();
        float[] window = new float[frames * nMels];
        int available = Math.max(0, Math.min(frames, features.length / nMels - start));
        System.arraycopy(features, start * nMels, window, 0, available * nMels);
        return window;
    }

    public LanguageProbabilities detectLanguage(WhisperModel.Encoded encoded) {
        return decoder.detectLanguage(encoded);
    }

    /** A whole recording, window by window. */
    public Transcript transcribe(float[] audio, TranscribeOptions options) {
        float[] features = features(audio);
        int contentFrames = audio.length / HOP;
        int seek = 0;
        List<Segment> segments = new ArrayList<>();
        List<Integer> history = new ArrayList<>();
        String language = options.decoding().language();
        Random random = new Random(0);
        while (seek < contentFrames) {
            int frames = Math.min(WINDOW_FRAMES, contentFrames - seek);
            double offset = seek / 100.0;
            try (WhisperModel.Encoded enc = encode(features, seek, frames, options.encoderBlockFrames())) {
                int[] prompt = options.conditionOnPrevious()
                        ? history.stream().mapToInt(Integer::intValue).toArray() : new int[0];
                var decoding = options.decoding().withLanguage(language).withPrompt(prompt);
                DecodingResult r = decoder.decode(enc, decoding, random);
                language = r.language();
                if (WindowDecoder.isSilence(r, decoding)) {
                    seek += frames;
                    continue;
                }
                Segmenter.Split split = Segmenter.split(tokenizer, r.tokens(), offset, frames / 100.0);
                List<Segment> windowSegments = split.segments();
                if (options.wordTimestamps()) {
                    windowSegments = attachWords(windowSegments, aligner.align(enc, r, decoding.task(), frames, offset));
                }
                segments.addAll(windowSegments);
                for (Segment s : windowSegments) {
                    for (int t : s.tokens()) {
                        history.add(t);
                    }
                }
                int consumed = (int) Math.round(split.consumedSeconds() * 100);
                seek += consumed > 0 ? Math.min(consumed, frames) : frames;
            }
        }
        return new Transcript(language == null ? "en" : language, segments);
    }

    /** Gives each segment the words whose tokens it holds. */
    public static List<Segment> attachWords(List<Segment> segments, WordAligner.Alignment alignment) {
        List<Segment> out = new ArrayList<>();
        int w = 0;
        int tokensBefore = 0;
        for (Segment s : segments) {
            int end = tokensBefore + s.tokens().length;
            List<WordTiming> words = new ArrayList<>();
            while (w < alignment.words().size() && alignment.endTokens()[w] <= end) {
                words.add(alignment.words().get(w++));
            }
            out.add(s.withWords(words));
            tokensBefore = end;
        }
        return out;
    }

    public WhisperConfig config() {
        return config;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "Whisper " + name + " (" + model.precision() + ", " + Arrays.toString(new int[]{model.dims().width()}) + ")";
    }
}
