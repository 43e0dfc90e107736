package io.parley.speech.whisper.decode;

import java.util.Arrays;

/**
 * Where a greedy decoding stands in a draft of its text: the tokens a live stream's last partial
 * heard, which the final (or the next partial) will mostly repeat. The decoder feeds the draft's
 * next tokens after the one it chose and checks them all in one pass ({@link WindowDecoder}); the
 * cursor only guesses what comes next, so a wrong guess costs a little time and never a word.
 *
 * <p>The draft holds text tokens only: timestamps and other special tokens the decoder chooses
 * leave the cursor where it is. When the decoder chooses a text token the draft does not have
 * next (a word heard differently, added or dropped), the cursor finds the place in the draft that
 * best continues what was chosen: the same token, preferably after the same token as before,
 * nearest to where it was.
 */
final class DraftCursor {

    /** Tokens proposed at most at once: one pass over them costs a few single steps at most. */
    static final int MOST = 24;

    private final int[] draft;
    private final int firstSpecial;
    private int at;
    private int previous = -1;

    /** @param firstSpecial the first id of the special tokens (end of text): the draft keeps those below */
    DraftCursor(int[] draft, int firstSpecial) {
        this.draft = Arrays.stream(draft).filter(t -> t >= 0 && t < firstSpecial).toArray();
        this.firstSpecial = firstSpecial;
    }

    static DraftCursor none() {
        return new DraftCursor(new int[0], 0);
    }

    boolean isEmpty() {
        return draft.length == 0;
    }

    /** The decoder chose {@code token}. */
    void accept(int token) {
        if (token < 0 || token >= firstSpecial) {
            return;
        }
        if (at < draft.length && draft[at] == token) {
            at++;
        } else {
            int best = -1;
            int bestScore = Integer.MIN_VALUE;
            for (int j = 0; j < draft.length; j++) {
                if (draft[j] != token) {
                    continue;
                }
                boolean sameBefore = j > 0 && draft[j - 1] == previous;
                int score = (sameBefore ? 1_000_000 : 0) - Math.abs(j - at);
                if (score > bestScore) {
                    bestScore = score;
                    best = j;
                }
            }
            if (best >= 0) {
                at = best + 1;
            }
        }
        previous = token;
    }

    /** The draft's next tokens, at most {@code max}: what the decoder is likely to choose next. */
    int[] proposal(int max) {
        int n = Math.clamp(draft.length - at, 0, Math.max(0, Math.min(max, MOST)));
        return Arrays.copyOfRange(draft, at, at + n);
    }
}
