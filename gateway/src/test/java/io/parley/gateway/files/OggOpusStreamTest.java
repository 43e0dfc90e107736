package io.parley.gateway.files;

import io.parley.gateway.config.FileLimits;
import io.parley.gateway.e2e.MediaFixtures;
import io.parley.speech.audio.AudioFormatException;
import io.parley.speech.audio.OggOpusStreamDecoder;
import io.parley.speech.eval.EvaluationSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An Ogg Opus stream as a live client sends it ({@code encoding=opus}): chunks cut anywhere,
 * across pages and packets, decode to the same audio as the whole file through ffmpeg.
 */
class OggOpusStreamTest {

    @Test
    void chunksCutAnywhereDecodeToTheWholeStream() throws Exception {
        Path wav = EvaluationSet.locate().clips().stream().filter(c -> c.name().startsWith("librivox")).findFirst()
                .orElseThrow().wav();
        byte[] ogg = Files.readAllBytes(MediaFixtures.encode(wav, "ogg"));
        AtomicLong reference = new AtomicLong();
        new AudioFileDecoder(new FileLimits(1L << 30, 600, Duration.ofMinutes(1), 1L << 30, 1), Optional.empty())
                .decode(wav, b -> reference.addAndGet(b.length));
        Random random = new Random(7);
        for (int maxChunk : new int[]{1, 13, 700, 5000, ogg.length}) {
            OggOpusStreamDecoder decoder = new OggOpusStreamDecoder();
            long samples = 0;
            for (int at = 0; at < ogg.length; ) {
                int n = Math.min(ogg.length - at, 1 + random.nextInt(maxChunk));
                samples += decoder.decode(java.util.Arrays.copyOfRange(ogg, at, at + n)).length;
                at += n;
            }
            // Opus adds its pre-skip and a last partial frame: within 40 ms of the clip.
            assertEquals(reference.get(), samples, 16_000 * 0.04, "chunks of up to " + maxChunk + " bytes");
        }
    }

    @Test
    void somethingElseIsRefusedAsAStreamThatIsNotOggOpus() {
        assertThrows(AudioFormatException.class, () -> new OggOpusStreamDecoder().decode(new byte[64]));
        byte[] vorbisLike = new byte[27 + 1 + 30];
        System.arraycopy("OggS".getBytes(), 0, vorbisLike, 0, 4);
        vorbisLike[26] = 1;
        vorbisLike[27] = 30;
        System.arraycopy("\u0001vorbis".getBytes(), 0, vorbisLike, 28, 7);
        assertThrows(AudioFormatException.class, () -> new OggOpusStreamDecoder().decode(vorbisLike));
    }
}
