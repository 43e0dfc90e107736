package io.parley.gateway.export;

import io.parley.gateway.room.Caption;
import io.parley.speech.recognizer.RecognizedWord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportFormatTest {

    private static Caption fin(long seq, double start, double end, double offset, String speaker, String text) {
        return new Caption(seq, seq, true, "en", text, start, end, offset, speaker,
                List.of(new RecognizedWord("x", start, end, 0.9)), null, List.of(), false);
    }

    @Test
    void webVttHasHeaderVoicesEscapesAndRoomTimes() {
        String vtt = WebVttWriter.write(List.of(
                fin(1, 0.22, 6.63, 0, "Ana", "a <b> & c"),
                fin(2, 1.0, 2.5, 10.0, "Bo", "second speaker, later stream")));
        assertEquals("""
                WEBVTT

                1
                00:00:00.220 --> 00:00:06.630
                <v Ana>a &lt;b&gt; &amp; c

                2
                00:00:11.000 --> 00:00:12.500
                <v Bo>second speaker, later stream

                """, vtt);
    }

    @Test
    void cuesAreOrderedByStartAndAlwaysLastAPositiveTime() {
        String srt = SrtWriter.write(List.of(
                fin(1, 5.0, 6.0, 0, "Ana", "later"),
                fin(2, 1.0, 1.0, 0, "Bo", "no duration")));
        assertTrue(srt.startsWith("1\n00:00:01,000 --> 00:00:01,500\nBo: no duration\n\n2\n00:00:05,000 --> 00:00:06,000\nAna: later"), srt);
    }

    @Test
    void subRipCarriesNoMarkupFromTheSpeechOrTheSpeakersName() {
        String srt = SrtWriter.write(List.of(
                fin(1, 0, 2, 0, "<font color=red>Eve</font>", "{\\an8}moved <b>up</b> \\N and <i>styled</i>"),
                fin(2, 3, 4, 0, "Bo", "a line\nthat --> breaks\u0000")));
        // A player reading this file shows the text as said, nowhere but where the cue says.
        for (String markup : List.of("<font", "</font>", "{\\", "<b>", "<i>", "\\N", "\u0000")) {
            assertTrue(!srt.contains(markup), "'" + markup + "' in:\n" + srt);
        }
        assertTrue(srt.contains("\uFF5B\uFF3Can8\uFF5Dmoved \uFF1Cb\uFF1Eup"), srt);
        assertEquals(2, srt.split("\n\n").length, "two cues, no extra one from a line break:\n" + srt);
        assertTrue(srt.contains("Bo: a line that --\uFF1E breaks"), srt);
    }

    @Test
    void webVttEscapesMarkupAndDropsControlCharacters() {
        String vtt = WebVttWriter.write(List.of(fin(1, 0, 2, 0, "Eve</v><c.x>", "x\u0007 <script> & \n\nsecond")));
        String cue = vtt.lines().filter(l -> l.startsWith("<v ")).findFirst().orElseThrow();
        assertTrue(cue.startsWith("<v Eve&lt;/v&gt;&lt;c.x&gt;>x "), cue);
        assertTrue(cue.contains("&lt;script&gt; &amp;") && cue.endsWith("second"), "one line, escaped: " + cue);
        assertTrue(!vtt.contains("\u0007"));
    }

    @Test
    void hoursMinutesAndMillisecondsAreFormattedAndRounded() {
        assertEquals("01:02:03.457", Cue.timestamp(3723.4567, '.'));
        assertEquals("00:00:59,999", Cue.timestamp(59.9994, ','));
    }

    @Test
    void formatsAreParsedByName() {
        assertEquals(ExportFormat.JSON, ExportFormat.parse(null).orElseThrow());
        assertEquals(ExportFormat.VTT, ExportFormat.parse("vtt").orElseThrow());
        assertTrue(ExportFormat.parse("docx").isEmpty());
    }
}
