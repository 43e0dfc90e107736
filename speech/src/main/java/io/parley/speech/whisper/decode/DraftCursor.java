package io.parley.speech.whisper.decode;

import java.util.Arrays;

/**
 * Where a greedy decoding stands in a draft of its text: the tokens a live stream's last partial
 * heard, which the final (or the next partial) will mostly repeat. The decoder feeds the draft's
 * next tokens after the one it chose and checks them all in one pass ({@link WindowDecoder}); the
 * cursor only guesses what comes next, so a wrong guess costs time and never a word.
 *
 * <p>A pass over many tokens costs several single steps (the logits of every one of them are
 * computed), so guesses are made only while they are likely to hold: none after the decoder chose
 * a word the draft does not have (until it chooses one the draft has again), and fewer after a
 * guess that failed early. A draft that has nothing to do with what is decoded costs one failed
 * guess, not one per token.
 *
 * <p>The draft holds text tokens only: timestamps and other special tokens the decoder chooses
 * leave the cursor where it is. When the decoder chooses a text token the draft does not have
 * next (a word heard differently, added or dropped), the cursor finds the place in the draft that
 * best continues what was chosen: the same token, preferably after the same token as before,
 * nearest to where it was, and only a few tokens back or ahead. A token the draft has nowhere
 * near, chosen right after the draft was followed token by token, is taken for a word heard
 * differently: the cursor steps over the draft's token it replaced and guesses on from there (a
 * word changed, the commonest difference between a partial and its final, then costs no pass of
 * its own). When that guess fails at its first token as well, the decoding is off the draft as
 * above.
 */
final class DraftCursor {

    /** Tokens proposed at most at once: one pass over them costs a few single steps at most. */
    static final int MOST = 24;
    /** Tokens proposed at first, and after a guess that failed at its first token. */
    static final int FEW = 4;
    /**
     * How far back the cursor looks for a token chosen off its place: a word or two said again.
     * A common token (" to", " the", ".") found further off would send the guesses over text
     * already decoded, or past text still to come.
     */
    static final int MOST_BACK = 4;
    /** How far ahead: a few words the draft has and the decoding left out. */
    static final int MOST_AHEAD = 12;

    private final int[] draft;
    private final int firstSpecial;
    private int at;
    private int previous = -1;
    /** Whether the last text token chosen was in the draft: only then is the draft worth following. */
    private boolean following = true;
    /** Whether the last text token chosen was the draft's next one: the decoding was in step with it. */
    private boolean inStep;
    private int size = FEW;

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
        following = true;
        boolean wasInStep = inStep;
        inStep = false;
        if (at < draft.length && draft[at] == token) {
            at++;
            inStep = true;
        } else {
            int best = -1;
            int bestScore = Integer.MIN_VALUE;
            for (int j = Math.max(0, at - MOST_BACK); j < Math.min(draft.length, at + MOST_AHEAD); j++) {
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
            } else if (wasInStep && at < draft.length) {
                at++; // a word heard differently: the draft goes on after the token it replaced
            } else {
                following = false;
            }
        }
        previous = token;
    }

    /**
     * The draft's next tokens, at most {@code max}: what the decoder is likely to choose next.
     * None while the decoding is off the draft.
     */
    int[] proposal(int max) {
        int n = following ? Math.clamp(draft.length - at, 0, Math.max(0, Math.min(max, size))) : 0;
        return Arrays.copyOfRange(draft, at, at + n);
    }

    /** Of the last {@code proposed} tokens, the decoder accepted the first {@code accepted}. */
    void checked(int proposed, int accepted) {
        if (proposed == 0) {
            return;
        }
        size = accepted == proposed ? Math.min(MOST, size * 4) : Math.max(FEW, accepted + 1);
    }
}
