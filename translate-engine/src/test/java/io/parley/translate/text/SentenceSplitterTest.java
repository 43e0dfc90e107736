package io.parley.translate.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SentenceSplitterTest {

    @Test
    void splitsAtSentenceEnds() {
        assertEquals(List.of("Thank you for waiting.", "Your order has shipped!", "Anything else?"),
                SentenceSplitter.split("Thank you for waiting. Your order has shipped! Anything else?"));
        assertEquals(List.of("Gracias.", "¿Algo más?", "«Sí», dijo."),
                SentenceSplitter.split("Gracias. ¿Algo más? «Sí», dijo."));
        assertEquals(List.of("He said \"stop.\"", "Then he left."), SentenceSplitter.split("He said \"stop.\" Then he left."));
    }

    @Test
    void keepsAbbreviationsInitialsAndNumbersTogether() {
        assertEquals(List.of("Mr. Smith met Dr. Jones at 3.30 p.m. on Monday."),
                SentenceSplitter.split("Mr. Smith met Dr. Jones at 3.30 p.m. on Monday."));
        assertEquals(List.of("J. R. R. Tolkien wrote it.", "It sold well."),
                SentenceSplitter.split("J. R. R. Tolkien wrote it. It sold well."));
        assertEquals(List.of("Version 2.5 is out, see parley.io for more."),
                SentenceSplitter.split("Version 2.5 is out, see parley.io for more."));
        assertEquals(List.of("it ends. and goes on"), SentenceSplitter.split("it ends. and goes on"));
    }

    @Test
    void blankTextHasNoSentences() {
        assertEquals(List.of(), SentenceSplitter.split("   "));
        assertEquals(List.of("One"), SentenceSplitter.split(" One "));
    }
}
