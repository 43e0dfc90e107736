package io.parley.speech.whisper.stream;

import java.util.List;

/**
 * Settles a word as soon as the decoder's attention has left it behind: the AlignAtt policy of
 * Papi et al. ("AlignAtt: Using Attention-based Audio-Translation Alignments as a Guide for
 * Simultaneous Speech Translation", 2023), used for Whisper by SimulStreaming. A token whose
 * cross-attention lies on the last frames of the audio may still change as more audio comes;
 * one whose attention lies well before them will not.
 *
 * <p>The attention is read through the word timings: they come from dynamic time warping over
 * the cross-attention of the model's alignment heads ({@code WordAligner}), so a word's end is
 * where the attention of its last token sits. Words of a new pass settle, in order, while they
 * end at least {@code frontierSeconds} before the end of the audio; the first that does not
 * stops the settling. Unlike local agreement, a word need not be heard by two passes first:
 * settled text appears a pass earlier, and a pass that settles nothing costs no stability.
 */
final class AlignAttPolicy extends SettlingPolicy {

    /** SimulStreaming's default frame threshold: 25 encoder frames of 20 ms. */
    static final double DEFAULT_FRONTIER_SECONDS = 0.5;

    private final double frontierSeconds;

    AlignAttPolicy(double frontierSeconds) {
        if (frontierSeconds <= 0) {
            throw new IllegalArgumentException("the attention frontier must be positive, not " + frontierSeconds);
        }
        this.frontierSeconds = frontierSeconds;
    }

    @Override
    int settles(List<TimedWord> fresh, List<TimedWord> pending, double audioEnd) {
        double frontier = audioEnd - frontierSeconds;
        int i = 0;
        // The last word of a pass is never settled by it: its attention may simply have run out
        // of audio, and the next pass may extend it ("in" → "inside").
        while (i < fresh.size() - 1 && fresh.get(i).end() <= frontier) {
            i++;
        }
        return i;
    }
}
