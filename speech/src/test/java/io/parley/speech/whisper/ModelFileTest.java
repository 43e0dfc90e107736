package io.parley.speech.whisper;

import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.speech.whisper.model.CTranslate2ModelFile;
import io.parley.speech.whisper.model.ModelFormatException;
import io.parley.speech.whisper.model.Precision;
import io.parley.speech.whisper.model.WhisperModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model file reader on the real file and on broken copies of it made here. */
class ModelFileTest {

    @TempDir
    Path tmp;

    static Path baseModel() {
        return ModelLocator.whisper("base").resolve("model.bin");
    }

    @Test
    void readsTheHeaderVariablesAndAliases() {
        try (CTranslate2ModelFile f = CTranslate2ModelFile.open(baseModel())) {
            assertEquals("WhisperSpec", f.spec());
            assertEquals(213, f.variables().size(), "212 variables and one alias");
            assertEquals(51865, f.get("decoder/projection/weight").dim(0), "the alias resolves to the embeddings");
            assertEquals(8, f.get("encoder/num_heads").scalarInt());
        }
    }

    @Test
    void aTruncatedFileIsRefusedClearly() throws IOException {
        Path cut = tmp.resolve("model.bin");
        try (InputStream in = Files.newInputStream(baseModel()); OutputStream out = Files.newOutputStream(cut)) {
            out.write(in.readNBytes(10_000_000));
        }
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CTranslate2ModelFile.open(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aForeignFileIsRefusedClearly() throws IOException {
        Path text = tmp.resolve("model.bin");
        Files.writeString(text, "this is not a model at all, just some text long enough");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> CTranslate2ModelFile.open(text));
        assertTrue(e.getMessage().contains("not a CTranslate2 model"), e.getMessage());
    }

    @Test
    void aModelOfAnotherKindIsRefusedClearly() throws IOException {
        // A well-formed CTranslate2 file whose spec is not Whisper's.
        Path other = tmp.resolve("model.bin");
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(6);
        putString(b, "TransformerSpec");
        b.putInt(1);
        b.putInt(1);
        putString(b, "encoder/num_heads");
        b.put((byte) 0);
        b.put((byte) 2);
        b.putInt(2);
        b.putShort((short) 8);
        b.putInt(0);
        Files.write(other, java.util.Arrays.copyOf(b.array(), b.position()));
        try (JvmAccelerator acc = new JvmAccelerator(1)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> WhisperModel.load(other, acc, Precision.F16));
            assertTrue(e.getMessage().contains("not a Whisper model"), e.getMessage());
        }
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) (bytes.length + 1));
        b.put(bytes);
        b.put((byte) 0);
    }
}
