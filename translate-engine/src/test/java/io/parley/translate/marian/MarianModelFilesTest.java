package io.parley.translate.marian;

import io.parley.translate.marian.decode.Shortlist;
import io.parley.translate.marian.engine.MarianModelDir;
import io.parley.translate.marian.model.MarianFile;
import io.parley.translate.marian.model.MarianModelConfig;
import io.parley.translate.marian.model.MarianModelException;
import io.parley.translate.marian.model.MarianNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loaders on the real files, and on foreign, cut and altered copies of them made here. */
class MarianModelFilesTest {

    @TempDir
    Path tmp;

    private static Path modelFile() {
        return MarianTestModels.dir("mt-enpt").resolve("model.enpt.intgemm.alphas.bin");
    }

    private Path prefix(Path file, long bytes, String name) throws IOException {
        Path out = tmp.resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            Files.write(out, in.readNBytes((int) bytes));
        }
        return out;
    }

    @Test
    void theRealModelIsIndexedWithItsArchitecture() throws Exception {
        MarianFile f = MarianFile.open(modelFile());
        assertEquals(195, f.items().size());
        assertEquals(MarianFile.TYPE_INTGEMM8, f.item("Wemb").type());
        MarianModelConfig c = MarianModelConfig.parse(f.text("special:model.yml"));
        assertEquals(new MarianModelConfig(6, 2, 256, 8, 1536, true, 32000), c);
    }

    @Test
    void aTruncatedModelIsRefusedWithItsReason() throws Exception {
        long size = Files.size(modelFile());
        MarianModelException cut = assertThrows(MarianModelException.class,
                () -> MarianFile.open(prefix(modelFile(), size - 1000, "model.cut.bin")));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        MarianModelException header = assertThrows(MarianModelException.class,
                () -> MarianFile.open(prefix(modelFile(), 4000, "model.head.bin")));
        assertTrue(header.getMessage().contains("truncated"), header.getMessage());
    }

    @Test
    void aForeignFileIsNotTakenForAModel() throws Exception {
        Path text = tmp.resolve("model.txt.bin");
        Files.writeString(text, "this is a README, not a model ".repeat(10));
        MarianModelException e = assertThrows(MarianModelException.class, () -> MarianFile.open(text));
        assertTrue(e.getMessage().contains("not a Marian binary model"), e.getMessage());
        // A Whisper CTranslate2 model, or anything else with another layout, fails the same way.
        Path vocab = MarianTestModels.dir("mt-enpt").resolve("vocab.enpt.spm");
        assertThrows(MarianModelException.class, () -> MarianFile.open(vocab));
    }

    @Test
    void anotherArchitectureIsExplained() {
        String yaml = """
                type: transformer
                transformer-decoder-autoreg: self-attention
                dec-cell: gru
                """;
        MarianModelException e = assertThrows(MarianModelException.class, () -> MarianModelConfig.parse(yaml));
        assertTrue(e.getMessage().contains("transformer-decoder-autoreg"), e.getMessage());
    }

    @Test
    void theShortlistHoldsTheFrequentWordsAndEachSourceWordsList() throws Exception {
        Path lex = MarianTestModels.dir("mt-enpt").resolve("lex.50.50.enpt.s2t.bin");
        Shortlist s = Shortlist.load(lex, 32000);
        int[] none = s.targets(new int[0]);
        assertEquals(50, none.length, "the 50 most frequent target ids, EOS among them");
        assertEquals(0, none[0]);
        int[] one = s.targets(new int[]{623});
        assertTrue(one.length > 50 && one.length <= 100, "plus up to 50 for the source word: " + one.length);
        MarianModelException cut = assertThrows(MarianModelException.class,
                () -> Shortlist.load(prefix(lex, Files.size(lex) - 64, "lex.cut.bin"), 32000));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        assertThrows(MarianModelException.class, () -> Shortlist.load(modelFile(), 32000));
    }

    @Test
    void aModelFolderNamesItsPairAndSettings() throws Exception {
        MarianModelDir dir = MarianModelDir.open(MarianTestModels.dir("mt-pten"));
        assertEquals("pt", dir.pair().source());
        assertEquals("en", dir.pair().target());
        assertEquals(1, dir.beamSize());
        assertEquals(2.5f, dir.maxLengthFactor());
        assertTrue(dir.shortlist().isPresent());
        MarianModelException empty = assertThrows(MarianModelException.class, () -> MarianModelDir.open(tmp));
        assertTrue(empty.getMessage().contains("model.*.bin"), empty.getMessage());
        MarianModelException unknown = assertThrows(MarianModelException.class, () -> MarianModelDir.locate("mt-xxyy"));
        assertTrue(unknown.getMessage().contains("tools/models.sh ensure"), unknown.getMessage());
    }

    @Test
    void theNetworkLoadsOnTheJvmBackend() throws Exception {
        try (MarianNetwork net = MarianNetwork.load(MarianTestModels.jvm(), modelFile())) {
            assertEquals(32000, net.config().vocabSize());
        }
    }
}
