package io.parley.translate.marian.text;

import io.parley.translate.marian.engine.MarianModelDir;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Against Google's sentencepiece library: {@code marian/spm-ids.tsv} holds the library's ids and
 * decoded text for a fixed set of sentences (written by {@code tools/fixtures/spm_fixture.py}),
 * for the Bergamot en-pt and pt-en vocabularies from the model cache, and for small models kept
 * beside the fixture: one with byte fallback and user-defined pieces, and hand-made ones whose
 * scores make the result hinge on the library's exact rules (unknown penalty, ties, float
 * sums, user-defined bonus) under each whitespace option.
 */
class SentencePieceModelTest {

    private static final Map<String, SentencePieceModel> MODELS = new LinkedHashMap<>();
    private static List<FixtureLine> fixture;

    record FixtureLine(int line, String vocab, String sentence, int[] ids, String decoded) {
    }

    static Path vocab(String model, String file) {
        // The cache as tools/models.sh fills it; a model that is not there fails with how to get it.
        Path path = MarianModelDir.locate(model).resolve(file);
        if (!Files.isRegularFile(path)) {
            fail("the Bergamot vocabulary " + path + " is missing: run tools/models.sh ensure mt-enpt mt-pten"
                    + " (./parley test does it), or set PARLEY_MODELS to the model cache");
        }
        return path;
    }

    @BeforeAll
    static void load() throws IOException {
        MODELS.put("enpt", SentencePieceModel.load(vocab("mt-enpt", "vocab.enpt.spm")));
        MODELS.put("pten", SentencePieceModel.load(vocab("mt-pten", "vocab.pten.spm")));
        fixture = new ArrayList<>();
        String[] lines = new String(resource("spm-ids.tsv"), StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("#") || lines[i].isEmpty()) {
                continue;
            }
            String[] f = lines[i].split("\t", -1);
            assertEquals(4, f.length, "spm-ids.tsv line " + (i + 1));
            int[] ids = f[2].isEmpty() ? new int[0] : Arrays.stream(f[2].split(" ")).mapToInt(Integer::parseInt).toArray();
            fixture.add(new FixtureLine(i + 1, f[0], unescape(f[1]), ids, unescape(f[3])));
            // The small models the fixture script made sit beside it as spm-<name>.model.
            if (!MODELS.containsKey(f[0])) {
                String file = "spm-" + f[0] + ".model";
                MODELS.put(f[0], SentencePieceModel.load(resource(file), file));
            }
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SentencePieceModelTest.class.getResourceAsStream("/marian/" + name)) {
            if (in == null) {
                throw new IOException("test resource marian/" + name + " is missing");
            }
            return in.readAllBytes();
        }
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String pieces(SentencePieceModel model, int[] ids) {
        return Arrays.stream(ids).mapToObj(id -> id >= 0 && id < model.size() ? model.piece(id) : "?" + id)
                .collect(Collectors.joining(" "));
    }

    @Test
    void fixtureCoversEveryVocabularyAndTheTestSets() {
        Map<String, Long> perVocab = fixture.stream().collect(Collectors.groupingBy(FixtureLine::vocab, Collectors.counting()));
        assertTrue(perVocab.getOrDefault("enpt", 0L) >= 150, perVocab.toString());
        assertTrue(perVocab.getOrDefault("pten", 0L) >= 150, perVocab.toString());
        assertTrue(perVocab.getOrDefault("tiny-bytes", 0L) >= 150, perVocab.toString());
        for (String crafted : List.of("crafted", "crafted-raw", "crafted-dummy-keep", "crafted-suffix", "crafted-noescape")) {
            assertTrue(perVocab.getOrDefault(crafted, 0L) >= 30, perVocab.toString());
        }
    }

    @Test
    void encodesExactlyAsTheLibrary() {
        List<String> wrong = new ArrayList<>();
        for (FixtureLine f : fixture) {
            SentencePieceModel model = MODELS.get(f.vocab());
            int[] ids = model.encode(f.sentence());
            if (!Arrays.equals(f.ids(), ids)) {
                wrong.add("line " + f.line() + " [" + f.vocab() + "] " + f.sentence().replace("\n", "\\n")
                        + "\n  library: " + pieces(model, f.ids()) + "\n  parley:  " + pieces(model, ids));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + fixture.size() + " lines differ:\n" + String.join("\n", wrong));
    }

    @Test
    void decodesExactlyAsTheLibrary() {
        List<String> wrong = new ArrayList<>();
        for (FixtureLine f : fixture) {
            SentencePieceModel model = MODELS.get(f.vocab());
            String fromIds = model.decode(f.ids());
            String roundTrip = model.decode(model.encode(f.sentence()));
            if (!f.decoded().equals(fromIds) || !f.decoded().equals(roundTrip)) {
                wrong.add("line " + f.line() + " [" + f.vocab() + "] library '" + f.decoded() + "', parley '" + fromIds
                        + "', round trip '" + roundTrip + "'");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + fixture.size() + " lines differ:\n" + String.join("\n", wrong));
    }

    @Test
    void knowsTheBergamotVocabulary() {
        for (SentencePieceModel model : List.of(MODELS.get("enpt"), MODELS.get("pten"))) {
            assertEquals(32000, model.size());
            assertEquals(0, model.eosId());
            assertEquals(1, model.unkId());
            assertEquals(-1, model.padId());
            assertEquals(-1, model.bosId());
            assertEquals("</s>", model.piece(0));
            assertEquals("<unk>", model.piece(1));
            assertEquals(PieceType.CONTROL, model.type(0));
            assertEquals(2, model.id(","));
            assertEquals(3, model.id("."));
            assertEquals(4, model.id("\u2581de"));
            assertEquals(6, model.id("\u2581the"));
            assertEquals("\u2581the", model.piece(6));
            assertEquals(13, model.id("\u2581"));
            assertEquals(1, model.id("no such piece"), "an unknown piece text maps to <unk>");
            assertEquals("nmt_nfkc", model.normalizerSpec().name());
        }
        SentencePieceModel enpt = MODELS.get("enpt");
        assertEquals(7, enpt.id("\u2581a"));
        assertEquals(9, enpt.id("\u2581of"));
        assertEquals(16, enpt.id("\u2581para"));
        assertArrayEquals(new int[] {9086, 2, 391, 103}, enpt.encode("Hello, world!"));
        assertArrayEquals(new int[] {9086, 2, 391, 103}, enpt.encode("  Ｈｅｌｌｏ,\u00a0world\uff01  "));
        assertEquals("Hello, world!", enpt.decode(new int[] {9086, 2, 391, 103, 0}), "</s> decodes to nothing");
        assertThrows(IllegalArgumentException.class, () -> enpt.decode(new int[] {32000}));
    }

    @Test
    void normalizesWithOffsetsIntoTheInput() {
        Normalizer.Normalized n = MODELS.get("enpt").normalize("  ｆｉ\u00a0x ");
        assertEquals("\u2581fi\u2581x", n.text());
        // '▁' (3 bytes) comes from where the text starts after the dropped spaces, 'f' and 'i'
        // from the 3-byte full-width letters, the next '▁' from the no-break space.
        assertArrayEquals(new int[] {2, 2, 2, 2, 5, 8, 8, 8, 10, 11}, n.origin());
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        SentencePieceModel model = MODELS.get("enpt");
        List<FixtureLine> lines = fixture.stream().filter(f -> f.vocab().equals("enpt")).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        for (FixtureLine f : lines) {
                            if (!Arrays.equals(f.ids(), model.encode(f.sentence()))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        }
    }

    // ---- files that are not a usable model ----------------------------------------------------

    private static String loadError(Path file) {
        return assertThrows(ModelFormatException.class, () -> SentencePieceModel.load(file)).getMessage();
    }

    @Test
    void saysWhenTheFileIsTruncated(@TempDir Path dir) throws IOException {
        byte[] whole = resource("spm-tiny-bytes.model");
        Path cut = dir.resolve("cut.spm");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        String message = loadError(cut);
        assertTrue(message.contains("cut.spm") && message.contains("is truncated")
                && message.contains("is the download complete?"), message);
    }

    @Test
    void saysWhenTheFileEndsBetweenPieces(@TempDir Path dir) throws IOException {
        Path cut = dir.resolve("pieces-only.spm");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWriter.field(out, 1, ProtoWriter.piece("<unk>", 0f, 2));
        ProtoWriter.field(out, 1, ProtoWriter.piece("\u2581a", -1f, 1));
        Files.write(cut, out.toByteArray());
        String message = loadError(cut);
        assertTrue(message.contains("ends after 2 pieces without a trainer_spec") && message.contains("truncated"), message);
    }

    @Test
    void saysWhenTheFileIsNotASentencePieceModel(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, "{\"version\": \"1.0\", \"model\": {\"type\": \"Unigram\", \"vocab\": [[\"</s>\", 0.0]]}}\n");
        String message = loadError(json);
        assertTrue(message.contains("tokenizer.json is not a SentencePiece model file")
                && message.contains("looks like JSON") && message.contains(".spm"), message);

        Path text = dir.resolve("vocab.txt");
        Files.writeString(text, "</s>\t0\n<unk>\t0\n,\t-3.11\n.\t-3.55\n");
        message = loadError(text);
        assertTrue(message.contains("vocab.txt is not a SentencePiece model file") && message.contains("text file"),
                message);

        Path binary = dir.resolve("model.bin");
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Files.write(binary, noise);
        message = loadError(binary);
        assertTrue(message.contains("model.bin is not a SentencePiece model file")
                || message.contains("model.bin is truncated"), message);

        Path empty = dir.resolve("empty.spm");
        Files.write(empty, new byte[0]);
        assertTrue(loadError(empty).contains("is empty"));
    }

    @Test
    void refusesModelsOtherThanUnigram(@TempDir Path dir) throws IOException {
        for (int type = 2; type <= 4; type++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ProtoWriter.field(out, 1, ProtoWriter.piece("<unk>", 0f, 2));
            ProtoWriter.field(out, 1, ProtoWriter.piece("\u2581a", -1f, 1));
            ProtoWriter.field(out, 2, ProtoWriter.varintField(3, type));
            ProtoWriter.field(out, 3, new byte[0]);
            Path file = dir.resolve("type" + type + ".model");
            Files.write(file, out.toByteArray());
            String message = loadError(file);
            String name = List.of("BPE", "WORD", "CHAR").get(type - 2);
            assertTrue(message.contains("is a " + name + " model") && message.contains("unigram"), message);
        }
    }

    @Test
    void acceptsAMinimalUnigramModel(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWriter.field(out, 1, ProtoWriter.piece("<unk>", 0f, 2));
        ProtoWriter.field(out, 1, ProtoWriter.piece("\u2581a", -1f, 1));
        ProtoWriter.field(out, 1, ProtoWriter.piece("b", -2f, 1));
        ProtoWriter.field(out, 2, new byte[0]);
        ProtoWriter.field(out, 3, new byte[0]);
        Path file = dir.resolve("min.model");
        Files.write(file, out.toByteArray());
        SentencePieceModel model = SentencePieceModel.load(file);
        assertArrayEquals(new int[] {1, 2, 0}, model.encode("ab c"));
        assertEquals("ab \u2047 ", model.decode(new int[] {1, 2, 0}));
        assertEquals(-1, model.eosId(), "no </s> piece");
    }

    /** Just enough protobuf writing to make small model files by hand. */
    static final class ProtoWriter {

        static void varint(ByteArrayOutputStream out, long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        static void field(ByteArrayOutputStream out, int number, byte[] message) {
            varint(out, (long) number << 3 | 2);
            varint(out, message.length);
            out.writeBytes(message);
        }

        static byte[] varintField(int number, long value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            varint(out, (long) number << 3);
            varint(out, value);
            return out.toByteArray();
        }

        static byte[] piece(String text, float score, int type) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            field(out, 1, text.getBytes(StandardCharsets.UTF_8));
            varint(out, 2 << 3 | 5);
            int bits = Float.floatToIntBits(score);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i) & 0xFF);
            }
            out.writeBytes(varintField(3, type));
            return out.toByteArray();
        }
    }
}
