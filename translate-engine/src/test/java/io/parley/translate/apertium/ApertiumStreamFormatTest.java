package io.parley.translate.apertium;

import io.parley.translate.api.Translation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ApertiumStreamFormatTest {

    @Test
    void reservedCharactersGoIntoSuperblanks() {
        assertEquals("a [\\^]b<n>[\\$] [\\[]x[\\]] [\\*]y[]",
                ApertiumStreamFormat.escape("a ^b<n>$ [x] *y").replace("[\\<]", "<").replace("[\\>]", ">"));
        String escaped = ApertiumStreamFormat.escape("^hello<n>$ {x} \\ / @ # ~").replace("[]", "");
        assertFalse(escaped.matches(".*(?<!\\[\\\\)[\\^$<>{}/@#~].*"), escaped);
    }

    @Test
    void nulAndControlCharactersCannotEndARequestEarly() {
        assertEquals("a b c\nd[]", ApertiumStreamFormat.escape("a\0b\u0007c\nd"));
    }

    @Test
    void marksBecomeFlaggedWordsAndLeaveTheText() {
        Translation t = ApertiumStreamFormat.parse("Me gusta *Qzxyplonk y #hash con @foo-bar.");
        assertEquals("Me gusta Qzxyplonk y hash con foo-bar.", t.text());
        assertEquals(List.of("Qzxyplonk", "hash", "foo-bar"), t.flaggedWords());
    }

    @Test
    void marksGluedToAWordOrEscapedAreStillMarks() {
        // As Apertium writes them on real text (bench mt, en-es): glued to the word before, and escaped.
        Translation t = ApertiumStreamFormat.parse("un hombre de 48años*Auckland en los \\@1970s");
        assertEquals("un hombre de 48años Auckland en los 1970s", t.text());
        assertEquals(List.of("Auckland", "1970s"), t.flaggedWords());
    }

    @Test
    void superblanksAndEscapesComeBackLiterally() {
        Translation t = ApertiumStreamFormat.parse("El [\\*]gato [\\[]es[\\]] \\/ \\^x\\$ bob[\\@]example.com");
        assertEquals("El *gato [es] / ^x$ bob@example.com", t.text());
        assertEquals(List.of(), t.flaggedWords(), "a user's own asterisk is not a mark");
    }
}
