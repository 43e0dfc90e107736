package io.parley.translate.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Tokenizer13aTest {

    @Test
    void symbolsAreSplitOffButApostrophesAndWordHyphensStay() {
        assertEquals(List.of("Hello", ",", "world", "!"), Tokenizer13a.tokens("Hello, world!"));
        assertEquals(List.of("l'aeroport", "well-known", "e-mail"), Tokenizer13a.tokens("l'aeroport well-known e-mail"));
        assertEquals(List.of("(", "a", ")", "$", "5", ";", "\"", "b", "\""), Tokenizer13a.tokens("(a) $5; \"b\""));
    }

    @Test
    void pointsAndCommasInsideNumbersStayButSentenceEndsSplit() {
        assertEquals(List.of("1,000.50", "in", "2019", "."), Tokenizer13a.tokens("1,000.50 in 2019."));
        assertEquals(List.of("1990", "-", "2000"), Tokenizer13a.tokens("1990-2000"));
        // Between letters a period is split on both sides: abbreviations fall apart.
        assertEquals(List.of("U", ".", "S", ".", "economy"), Tokenizer13a.tokens("U.S. economy"));
    }

    @Test
    void entitiesAreUnescapedOnceInMtevalOrder() {
        // Only the four entities mteval knew; "&#39;" is left as symbols and digits.
        assertEquals(List.of("Tom", "&", "Jerry", "<", "\"", "x", "<", "&", "#", "39", ";"),
                Tokenizer13a.tokens("Tom &amp; Jerry &lt; &quot;x &amp;lt; &#39;"));
        // &quot; is undone before &amp;, so "&amp;quot;" ends as the text "&quot;" (then split).
        assertEquals(List.of("&", "quot", ";"), Tokenizer13a.tokens("&amp;quot;"));
    }

    @Test
    void whitespaceIsPythonsCodePointForCodePoint() {
        Set<Integer> python = new HashSet<>();
        SacrebleuFixture.list(SacrebleuFixture.root().get("whitespace")).forEach(n -> python.add(((Number) n).intValue()));
        List<String> wrong = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (PythonWhitespace.isWhitespace(cp) != python.contains(cp)) {
                wrong.add(String.format("U+%04X", cp));
            }
        }
        assertEquals(List.of(), wrong, "code points where PythonWhitespace disagrees with Python's str.isspace()");
        assertEquals(List.of("a", "b", "c\u200bd"), PythonWhitespace.split("\u3000a\u00a0b\u0085 c\u200bd\t"));
        assertEquals(" x", PythonWhitespace.stripTrailing(" x \u2009\n"));
    }

    @Test
    void trickyStringsTokenizeExactlyAsSacrebleu() {
        List<Executable> checks = new ArrayList<>();
        for (Map<String, Object> c : SacrebleuFixture.section("tokenize_13a")) {
            String input = (String) c.get("input");
            List<String> expected = SacrebleuFixture.strings(c.get("tokens"));
            checks.add(() -> assertEquals(expected, Tokenizer13a.tokens(input), () -> "13a of " + visible(input)));
        }
        assertTrue(checks.size() > 50, "the fixture holds the tricky strings");
        assertAll(checks);
    }

    @Test
    void everyLineOfTheSharedDataTokenizesExactlyAsSacrebleu() {
        List<Executable> checks = new ArrayList<>();
        int lines = 0;
        for (Map<String, Object> f : SacrebleuFixture.section("data_tokens")) {
            String file = (String) f.get("file");
            List<String> hashes = SacrebleuFixture.strings(f.get("hashes"));
            List<String> text = MtTestData.lines(file);
            assertEquals(hashes.size(), text.size(), file + ": line count");
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i);
                String expected = hashes.get(i);
                String where = file + ":" + (i + 1);
                checks.add(() -> assertEquals(expected, SacrebleuFixture.sha256(Tokenizer13a.tokenize(line)).substring(0, 16),
                        () -> where + " tokenizes differently: " + Tokenizer13a.tokens(line)));
            }
            lines += text.size();
        }
        assertAll(checks);
        assertEquals(2800, lines, "14 files of 200 lines");
    }

    private static String visible(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (PythonWhitespace.isWhitespace(cp) && cp != ' ')) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append('"').toString();
    }
}
