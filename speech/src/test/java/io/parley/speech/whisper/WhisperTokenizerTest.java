package io.parley.speech.whisper;

import io.parley.speech.whisper.text.WhisperTokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tokenizer of Whisper base against OpenAI's own: tiktoken with {@code multilingual.tiktoken}
 * from the openai-whisper package (version 20250625), with which Whisper's training text was
 * tokenized (the ids below come from {@code tools/fixtures/whisper_tokenizer_reference.py}, which
 * runs it). Hugging Face's {@code tokenizers} on the model
 * package's tokenizer.json differs from it for every word that begins with " t": that file's merge
 * list lacks its first merge.
 */
class WhisperTokenizerTest {

    static WhisperTokenizer base;
    static WhisperTokenizer tinyEn;

    @BeforeAll
    static void load() throws Exception {
        base = WhisperTokenizer.load(ModelLocator.whisper("base").resolve("tokenizer.json"));
        tinyEn = WhisperTokenizer.load(ModelLocator.whisper("tiny.en").resolve("tokenizer.json"));
    }

    private static void roundTrip(String text, int[] ids) {
        assertArrayEquals(ids, base.encode(text), "ids of " + text);
        assertEquals(text, base.decode(ids));
    }

    @Test
    void english() {
        roundTrip("Hello world, this is Parley.", new int[]{15947, 1002, 11, 341, 307, 3457, 3420, 13});
        roundTrip("It's 3:45pm — we've 10,000 items!",
                new int[]{3522, 311, 805, 25, 8465, 14395, 3466, 321, 600, 1266, 11, 1360, 4754, 0});
    }

    @Test
    void spanishWithAccentsAndInvertedPunctuation() {
        roundTrip(" Buenos días, ¿cómo estás? Mañana será otro día.",
                new int[]{38058, 19527, 11, 3841, 46614, 24389, 30, 4042, 31823, 16502, 11921, 12271, 13});
    }

    @Test
    void multiByteCharactersSplitAcrossTokens() {
        roundTrip("日本語のテキストと絵文字 🎉 ok",
                new int[]{27311, 31348, 2972, 22985, 15535, 40498, 3193, 6948, 113, 17174, 22381, 19034, 231, 3133});
    }

    @Test
    void whitespaceRuns() {
        roundTrip("  multiple   spaces\n\tand tabs", new int[]{220, 3866, 220, 220, 7673, 198, 197, 474, 20743});
    }

    /** Words that begin with " t" are one token each, as Whisper decodes them (" then" is 550, not " " and "then"). */
    @Test
    void wordsBeginningWithTAreTheTokensWhisperWasTrainedOn() {
        roundTrip(" had then leisure to consider them", new int[]{632, 550, 31339, 281, 1949, 552});
        assertArrayEquals(new int[]{262, 995, 290, 262, 1049, 12, 23936, 2988}, tinyEn.encode(" the world and the great-grand father"));
    }

    /** Text that spells a special token (a room's hint, say) is text: no merge makes the special token. */
    @Test
    void textSpellingASpecialTokenStaysText() {
        assertArrayEquals(new int[]{2627, 91, 3999, 844, 3828, 91, 29, 264}, base.encode(" <|endoftext|> the"));
    }

    @Test
    void specialTokensComeFromTheFileNotFromAssumptions() {
        assertEquals(50257, base.eot);
        assertEquals(50258, base.sot);
        assertEquals(50259, base.language("en"));
        assertEquals(50262, base.language("es"));
        assertEquals(50358, base.translate);
        assertEquals(50359, base.transcribe);
        assertEquals(50362, base.noSpeech);
        assertEquals(50363, base.noTimestamps);
        assertEquals(50364, base.timestampBegin);
        assertEquals(99, base.languages().size());
        assertEquals(51865, base.size());
        assertEquals("<|1.50|>", base.tokenText(50364 + 75));
        assertEquals(1.5, base.timestampSeconds(50364 + 75), 1e-9);
        // The English-only model has one token fewer: everything special sits one lower.
        assertEquals(50256, tinyEn.eot);
        assertEquals(50257, tinyEn.sot);
        assertEquals(50362, tinyEn.noTimestamps);
        assertEquals(51864, tinyEn.size());
    }

    @Test
    void decodingSkipsSpecialAndTimestampTokens() {
        assertEquals(" And", base.decode(new int[]{50258, 50259, 50359, 50364, 400, 50414, 50257}));
    }
}
