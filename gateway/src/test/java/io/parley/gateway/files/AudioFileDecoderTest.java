package io.parley.gateway.files;

import io.parley.testkit.TempFolders;

import io.parley.gateway.config.FileLimits;
import io.parley.gateway.e2e.MediaFixtures;
import io.parley.speech.eval.EvaluationSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recorded files to 16 kHz audio, on real files: the WAV reader in Java and Debian's ffmpeg for the rest. */
class AudioFileDecoderTest {

    static final FileLimits LIMITS = new FileLimits(1L << 30, 600, Duration.ofMinutes(1), 1L << 30, 2);

    static Path clip() {
        return EvaluationSet.locate().clips().stream().filter(c -> c.name().startsWith("librivox")).findFirst()
                .orElseThrow().wav();
    }

    static double decodedSeconds(AudioFileDecoder decoder, Path file) throws Exception {
        AtomicLong samples = new AtomicLong();
        AudioFileDecoder.Decoded d = decoder.decode(file, block -> {
            for (float f : block) {
                assertTrue(f >= -1.0001f && f <= 1.0001f);
            }
            samples.addAndGet(block.length);
        });
        assertEquals(d.seconds(), samples.get() / 16_000.0, 0.05, "blocks add up to what was reported");
        return d.seconds();
    }

    @Test
    void everyFormatDecodesToTheClipsLength() throws Exception {
        AudioFileDecoder decoder = AudioFileDecoder.withSystemFfmpeg(LIMITS);
        double wav = decodedSeconds(decoder, clip());
        assertTrue(wav > 3, "the clip is several seconds long");
        for (String ext : new String[]{"ogg", "flac", "mp3", "m4a", "webm"}) {
            double s = decodedSeconds(decoder, MediaFixtures.encode(clip(), ext));
            // Codecs pad a few milliseconds (MP3 and AAC priming): the length is the clip's.
            assertEquals(wav, s, 0.1, ext);
        }
    }

    @Test
    void aFileCutShortIsRefusedWhateverItsFormat() throws Exception {
        AudioFileDecoder decoder = AudioFileDecoder.withSystemFfmpeg(LIMITS);
        for (String ext : new String[]{"wav", "ogg", "flac"}) {
            Path whole = ext.equals("wav") ? clip() : MediaFixtures.encode(clip(), ext);
            MediaRefused e = assertThrows(MediaRefused.class, () -> decoder.decode(MediaFixtures.truncated(whole, 0.5), b -> { }),
                    ext);
            assertEquals("corrupt_media", e.code(), ext + ": " + e.getMessage());
            assertEquals(400, e.status());
        }
    }

    @Test
    void tooLongIsRefusedBeforeDecodingWhenTheHeaderSaysSo() throws Exception {
        AudioFileDecoder decoder = AudioFileDecoder.withSystemFfmpeg(new FileLimits(1L << 30, 2, Duration.ofMinutes(1),
                1L << 30, 2));
        AtomicLong fed = new AtomicLong();
        MediaRefused e = assertThrows(MediaRefused.class, () -> decoder.decode(clip(), b -> fed.addAndGet(b.length)));
        assertEquals("media_too_long", e.code());
        assertEquals(413, e.status());
        assertEquals(0, fed.get(), "nothing was decoded");
    }

    @Test
    void withoutFfmpegWavStillWorksAndOtherFormatsSayWhatIsMissing() throws Exception {
        AudioFileDecoder wavOnly = new AudioFileDecoder(LIMITS, Optional.empty());
        assertTrue(decodedSeconds(wavOnly, clip()) > 3);
        MediaRefused e = assertThrows(MediaRefused.class, () -> wavOnly.decode(MediaFixtures.encode(clip(), "flac"), b -> { }));
        assertEquals("decoder_unavailable", e.code());
        assertTrue(e.getMessage().contains("ffmpeg"), e.getMessage());
    }

    @Test
    void aVideoWithoutSoundHasNoAudio() throws Exception {
        Path video = TempFolders.create("parley-media-").resolve("silent-film.webm");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "color=c=black:s=64x64:d=1", "-c:v", "libvpx", video.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        MediaRefused e = assertThrows(MediaRefused.class,
                () -> AudioFileDecoder.withSystemFfmpeg(LIMITS).decode(video, b -> { }));
        assertEquals("no_audio", e.code(), e.getMessage());
    }

    @Test
    void notAudioAndEmptyAreRefusedUnread() throws Exception {
        AudioFileDecoder decoder = AudioFileDecoder.withSystemFfmpeg(LIMITS);
        Path text = TempFolders.create("parley-media-").resolve("notes.wav");
        Files.writeString(text, "not a recording");
        assertEquals("unsupported_media_type", assertThrows(MediaRefused.class, () -> decoder.decode(text, b -> { })).code());
        Path empty = TempFolders.create("parley-media-").resolve("empty.ogg");
        Files.write(empty, new byte[0]);
        assertEquals("corrupt_media", assertThrows(MediaRefused.class, () -> decoder.decode(empty, b -> { })).code());
    }
}
