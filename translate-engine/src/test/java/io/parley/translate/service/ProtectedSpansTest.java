package io.parley.translate.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectedSpansTest {

    static final Glossary GLOSSARY = new Glossary(List.of(
            new Glossary.Entry("Acme", Map.of()),
            new Glossary.Entry("Acme Cloud", Map.of("pt", "Nuvem Acme")),
            new Glossary.Entry("ticket", Map.of("pt", "chamado"))));

    @Test
    void termsAreMaskedAsWholeWordsLongestFirstAndRestored() {
        ProtectedSpans m = ProtectedSpans.mask("Open a Ticket for Acme Cloud, not Acme or tickets.", GLOSSARY, "pt");
        assertEquals("Open a ZX1001 for ZX1002, not ZX1003 or tickets.", m.masked());
        assertEquals(List.of("chamado", "Nuvem Acme", "Acme"), m.replacements());
        assertEquals("Abra um chamado para Nuvem Acme, não Acme ou tickets.",
                m.unmask("Abra um ZX1001 para ZX1002, não ZX1003 ou tickets."));
        assertTrue(m.isPlaceholder("zx1002"));
        assertFalse(m.isPlaceholder("tickets"));
    }

    @Test
    void aTargetWithoutATranslationKeepsTheTermAsWritten() {
        ProtectedSpans m = ProtectedSpans.mask("open a TICKET", GLOSSARY, "es");
        assertEquals(List.of("TICKET"), m.replacements());
    }

    @Test
    void placeholdersNeverCollideWithTheText() {
        ProtectedSpans m = ProtectedSpans.mask("ZX1001 is a model; buy a ticket", GLOSSARY, "pt");
        assertFalse(m.placeholders().getFirst().startsWith("ZX"), m.masked());
        assertTrue(m.masked().startsWith("ZX1001 is a model"));
    }

    @Test
    void aDroppedPlaceholderIsStillDelivered() {
        ProtectedSpans m = ProtectedSpans.mask("a ticket", GLOSSARY, "pt");
        assertEquals("um chamado", m.unmask("um"));
    }

    @Test
    void badEntriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Glossary.Entry(" ", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Glossary.Entry("x".repeat(101), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Glossary.Entry("ok", Map.of("pt", " ")));
    }
}
