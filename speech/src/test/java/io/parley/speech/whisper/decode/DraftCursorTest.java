package io.parley.speech.whisper.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DraftCursorTest {

    private static final int SPECIAL = 1000;

    @Test
    void followsTheDraftAndProposesWhatComesNext() {
        DraftCursor c = new DraftCursor(new int[]{1, 2, 3, 4, 5}, SPECIAL);
        assertArrayEquals(new int[]{1, 2, 3}, c.proposal(3));
        c.accept(1);
        c.accept(2);
        assertArrayEquals(new int[]{3, 4, 5}, c.proposal(10));
        assertArrayEquals(new int[0], c.proposal(0));
    }

    @Test
    void specialTokensInTheDraftAreDroppedAndChosenOnesLeaveTheCursorWhereItIs() {
        DraftCursor c = new DraftCursor(new int[]{SPECIAL + 5, 1, SPECIAL + 7, 2, 3}, SPECIAL);
        c.accept(SPECIAL + 364); // a timestamp
        assertArrayEquals(new int[]{1, 2, 3}, c.proposal(5));
        c.accept(1);
        c.accept(SPECIAL + 400);
        assertArrayEquals(new int[]{2, 3}, c.proposal(5));
    }

    @Test
    void aWordHeardDifferentlyAddedOrDroppedFindsItsPlaceAgain() {
        // dropped: 3 is skipped, the cursor goes on after 4
        DraftCursor dropped = new DraftCursor(new int[]{1, 2, 3, 4, 5, 6}, SPECIAL);
        dropped.accept(1);
        dropped.accept(2);
        dropped.accept(4);
        assertArrayEquals(new int[]{5, 6}, dropped.proposal(5));
        // added: 9 is not in the draft; the cursor waits, and goes on when the draft's word comes
        DraftCursor added = new DraftCursor(new int[]{1, 2, 3, 4}, SPECIAL);
        added.accept(1);
        added.accept(9);
        added.accept(2);
        assertArrayEquals(new int[]{3, 4}, added.proposal(5));
        // changed: 3 heard as 8, then 4 follows as drafted
        DraftCursor changed = new DraftCursor(new int[]{1, 2, 3, 4, 5}, SPECIAL);
        changed.accept(1);
        changed.accept(2);
        changed.accept(8);
        changed.accept(4);
        assertArrayEquals(new int[]{5}, changed.proposal(5));
    }

    @Test
    void aWordHeardDifferentlyIsSteppedOverAndTheGuessGoesOnAtOnce() {
        // 3 heard as 8, chosen right after the draft was followed: the guess is the draft after 3
        DraftCursor changed = new DraftCursor(new int[]{1, 2, 3, 4, 5}, SPECIAL);
        changed.accept(1);
        changed.accept(2);
        changed.accept(8);
        assertArrayEquals(new int[]{4, 5}, changed.proposal(5));
        // a word of two tokens, neither in the draft: the second ends the guessing until the
        // draft's words come back
        DraftCursor longer = new DraftCursor(new int[]{1, 2, 3, 4, 5}, SPECIAL);
        longer.accept(1);
        longer.accept(8);
        longer.accept(9);
        assertArrayEquals(new int[0], longer.proposal(5));
        longer.accept(3);
        assertArrayEquals(new int[]{4, 5}, longer.proposal(5));
        // off the draft from the start (an unrelated draft): no guess at all
        DraftCursor unrelated = new DraftCursor(new int[]{1, 2, 3}, SPECIAL);
        unrelated.accept(8);
        assertArrayEquals(new int[0], unrelated.proposal(5));
        // found again by a search, not in step: a token the draft lacks ends the guessing
        DraftCursor searched = new DraftCursor(new int[]{1, 2, 3, 4}, SPECIAL);
        searched.accept(3);
        searched.accept(9);
        assertArrayEquals(new int[0], searched.proposal(5));
    }

    @Test
    void aRepeatedTokenResumesAfterTheSameTokenAsBeforeAndNearest() {
        // 7 occurs twice; after "5 7" the place after the second is the right one
        DraftCursor c = new DraftCursor(new int[]{7, 1, 2, 5, 7, 3}, SPECIAL);
        c.accept(5);
        c.accept(7);
        assertArrayEquals(new int[]{3}, c.proposal(5));
    }

    @Test
    void aCommonTokenFarBackIsNotWhereTheDecodingIs() {
        // " to" (7) came early in the draft; the decoder says it again at the draft's end: the
        // cursor does not go back over text already decoded
        DraftCursor c = new DraftCursor(new int[]{1, 7, 2, 3, 4, 5, 6, 8}, SPECIAL);
        for (int t : new int[]{1, 7, 2, 3, 4, 5, 6, 8}) {
            c.accept(t);
        }
        c.accept(7);
        assertArrayEquals(new int[0], c.proposal(5));
        // a word said twice, a few tokens back, is still found: "5 6 | 5 6 8"
        DraftCursor again = new DraftCursor(new int[]{1, 2, 5, 6, 8}, SPECIAL);
        for (int t : new int[]{1, 2, 5, 6}) {
            again.accept(t);
        }
        again.accept(5);
        assertArrayEquals(new int[]{6, 8}, again.proposal(5));
        // "." (9) ends the draft far ahead: a "." said early is not taken for it
        int[] sentence = new int[20];
        java.util.Arrays.setAll(sentence, i -> i < 19 ? 20 + i : 9);
        DraftCursor early = new DraftCursor(sentence, SPECIAL);
        early.accept(9);
        early.accept(20);
        assertArrayEquals(new int[]{21, 22}, early.proposal(2));
    }

    @Test
    void proposalsAreBoundedAndAnEmptyDraftProposesNothing() {
        int[] longDraft = new int[100];
        for (int i = 0; i < longDraft.length; i++) {
            longDraft[i] = i;
        }
        assertTrue(new DraftCursor(longDraft, SPECIAL).proposal(1000).length <= DraftCursor.MOST);
        assertTrue(DraftCursor.none().isEmpty());
        assertArrayEquals(new int[0], DraftCursor.none().proposal(5));
    }
}
