package io.parley.translate.marian.text;

import io.parley.translate.marian.text.ModelProto.ModelType;
import io.parley.translate.marian.text.ModelProto.NormalizerSpec;
import io.parley.translate.marian.text.ModelProto.Piece;
import io.parley.translate.marian.text.ModelProto.TrainerSpec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a SentencePiece model file ({@code .spm} / {@code .model}: a serialized
 * {@code sentencepiece.ModelProto}) with a protobuf wire-format reader of its own, small enough
 * to need no protobuf library: only the fields that segmentation uses are kept, everything else
 * (training inputs, self-test data, future fields) is skipped by its wire type.
 *
 * <p>Protobuf happily "parses" many byte strings that are not protobuf at all, so the reader
 * also checks the result the way the reference library does on load (pieces present and
 * non-empty, no duplicates, exactly one unknown piece, byte pieces only with byte fallback), and
 * says in the exception which of truncated / foreign / unsupported the file is.
 */
public final class ModelProtoReader {

    // Wire types (protobuf encoding spec).
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    private final byte[] data;
    private final String source;

    private ModelProtoReader(byte[] data, String source) {
        this.data = data;
        this.source = source;
    }

    /** Reads and checks the model file at {@code path}. */
    public static ModelProto read(Path path) throws IOException {
        return read(Files.readAllBytes(path), path.toString());
    }

    /**
     * Reads and checks a serialized model.
     *
     * @param source how to name the bytes in error messages (a path, "a resource")
     */
    public static ModelProto read(byte[] data, String source) throws ModelFormatException {
        ModelProtoReader reader = new ModelProtoReader(data, source);
        if (data.length == 0) {
            throw reader.error("is empty");
        }
        try {
            return reader.check(reader.model());
        } catch (ModelFormatException e) {
            String hint = foreignHint(data);
            throw hint == null ? e : new ModelFormatException(e.getMessage() + "; " + hint);
        }
    }

    // ---- messages ----------------------------------------------------------------------------

    private ModelProto model() throws ModelFormatException {
        List<Piece> pieces = new ArrayList<>();
        TrainerSpec trainer = null;
        NormalizerSpec normalizer = null;
        NormalizerSpec denormalizer = null;
        Cursor c = new Cursor(0, data.length, "the model");
        while (c.more()) {
            int tag = c.tag();
            int field = tag >>> 3;
            switch (field) {
                case 1 -> pieces.add(piece(c.message(tag, "piece " + pieces.size()), pieces.size()));
                case 2 -> trainer = trainer(c.message(tag, "trainer_spec"));
                case 3 -> normalizer = normalizer(c.message(tag, "normalizer_spec"));
                case 5 -> denormalizer = normalizer(c.message(tag, "denormalizer_spec"));
                default -> c.skip(tag);
            }
        }
        if (pieces.isEmpty()) {
            throw notModel("it holds no vocabulary pieces");
        }
        if (trainer == null || normalizer == null) {
            // The library writes pieces, then trainer_spec, then normalizer_spec; a file that ends
            // cleanly after some pieces is most likely cut short.
            throw error("ends after " + pieces.size() + " pieces without "
                    + (trainer == null ? "a trainer_spec" : "a normalizer_spec")
                    + ": the file is truncated (or not a SentencePiece model)");
        }
        return new ModelProto(pieces, trainer, normalizer, denormalizer);
    }

    private Piece piece(Cursor c, int index) throws ModelFormatException {
        String text = null;
        float score = 0f;
        int type = 1;
        while (c.more()) {
            int tag = c.tag();
            switch (tag >>> 3) {
                case 1 -> text = c.string(tag, "piece " + index);
                case 2 -> score = c.fixed32Float(tag);
                case 3 -> type = (int) c.varint(tag);
                default -> c.skip(tag);
            }
        }
        PieceType pieceType = PieceType.ofWire(type);
        if (pieceType == null) {
            throw error("piece " + index + " has an unknown type " + type);
        }
        if (text == null || text.isEmpty()) {
            throw error("piece " + index + " is empty, which SentencePiece does not allow");
        }
        return new Piece(text, score, pieceType);
    }

    private TrainerSpec trainer(Cursor c) throws ModelFormatException {
        TrainerSpec d = TrainerSpec.defaults();
        int modelType = 1;
        int vocabSize = d.vocabSize();
        int unk = d.unkId(), bos = d.bosId(), eos = d.eosId(), pad = d.padId();
        String unkPiece = d.unkPiece(), bosPiece = d.bosPiece(), eosPiece = d.eosPiece(), padPiece = d.padPiece();
        String unkSurface = d.unkSurface();
        boolean byteFallback = d.byteFallback(), suffix = d.treatWhitespaceAsSuffix();
        while (c.more()) {
            int tag = c.tag();
            switch (tag >>> 3) {
                case 3 -> modelType = (int) c.varint(tag);
                case 4 -> vocabSize = (int) c.varint(tag);
                case 24 -> suffix = c.varint(tag) != 0;
                case 35 -> byteFallback = c.varint(tag) != 0;
                case 40 -> unk = (int) c.varint(tag);
                case 41 -> bos = (int) c.varint(tag);
                case 42 -> eos = (int) c.varint(tag);
                case 43 -> pad = (int) c.varint(tag);
                case 44 -> unkSurface = c.string(tag, "trainer_spec.unk_surface");
                case 45 -> unkPiece = c.string(tag, "trainer_spec.unk_piece");
                case 46 -> bosPiece = c.string(tag, "trainer_spec.bos_piece");
                case 47 -> eosPiece = c.string(tag, "trainer_spec.eos_piece");
                case 48 -> padPiece = c.string(tag, "trainer_spec.pad_piece");
                default -> c.skip(tag);
            }
        }
        ModelType type = ModelType.ofWire(modelType);
        if (type == null) {
            throw error("has an unknown model_type " + modelType);
        }
        return new TrainerSpec(type, vocabSize, unk, bos, eos, pad, unkPiece, bosPiece, eosPiece, padPiece,
                unkSurface, byteFallback, suffix);
    }

    private NormalizerSpec normalizer(Cursor c) throws ModelFormatException {
        NormalizerSpec d = NormalizerSpec.defaults();
        String name = d.name();
        byte[] charsmap = d.precompiledCharsmap();
        boolean dummyPrefix = d.addDummyPrefix(), removeExtra = d.removeExtraWhitespaces(),
                escape = d.escapeWhitespaces();
        while (c.more()) {
            int tag = c.tag();
            switch (tag >>> 3) {
                case 1 -> name = c.string(tag, "normalizer_spec.name");
                case 2 -> charsmap = c.bytes(tag, "normalizer_spec.precompiled_charsmap");
                case 3 -> dummyPrefix = c.varint(tag) != 0;
                case 4 -> removeExtra = c.varint(tag) != 0;
                case 5 -> escape = c.varint(tag) != 0;
                default -> c.skip(tag);
            }
        }
        return new NormalizerSpec(name, charsmap, dummyPrefix, removeExtra, escape);
    }

    // ---- what the library checks on load -------------------------------------------------------

    private ModelProto check(ModelProto model) throws ModelFormatException {
        TrainerSpec trainer = model.trainerSpec();
        if (trainer.modelType() != ModelType.UNIGRAM) {
            throw error("is a " + trainer.modelType() + " model; Parley's SentencePiece encoder handles unigram"
                    + " models only (the Bergamot/Marian vocabularies are unigram)");
        }
        Map<String, Integer> normal = new HashMap<>();
        Map<String, Integer> reserved = new HashMap<>();
        int unknown = -1;
        boolean[] bytes = new boolean[256];
        List<Piece> pieces = model.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            Piece p = pieces.get(i);
            boolean isNormal = p.type() == PieceType.NORMAL || p.type() == PieceType.USER_DEFINED
                    || p.type() == PieceType.UNUSED;
            if ((isNormal ? normal : reserved).putIfAbsent(p.text(), i) != null) {
                throw error("defines the piece '" + p.text() + "' twice (again at id " + i + ")");
            }
            if (p.type() == PieceType.UNKNOWN) {
                if (unknown >= 0) {
                    throw error("has two unknown pieces (ids " + unknown + " and " + i + ")");
                }
                unknown = i;
            }
            if (p.type() == PieceType.BYTE) {
                if (!trainer.byteFallback()) {
                    throw error("has the byte piece " + p.text() + " although byte_fallback is off");
                }
                int b = byteOfPiece(p.text());
                if (b < 0) {
                    throw error("has an invalid byte piece '" + p.text() + "'");
                }
                bytes[b] = true;
            }
        }
        if (unknown < 0) {
            throw error("has no unknown piece (<unk>)");
        }
        if (trainer.byteFallback()) {
            for (int b = 0; b < 256; b++) {
                if (!bytes[b]) {
                    throw error(String.format("enables byte_fallback but has no piece <0x%02X>", b));
                }
            }
        }
        return model;
    }

    /** The byte a {@code <0xXX>} piece stands for (upper-case hex, as the library writes them), or -1. */
    static int byteOfPiece(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(piece.charAt(3), 16), lo = Character.digit(piece.charAt(4), 16);
        if (hi < 0 || lo < 0 || Character.isLowerCase(piece.charAt(3)) || Character.isLowerCase(piece.charAt(4))) {
            return -1;
        }
        return hi * 16 + lo;
    }

    private ModelFormatException error(String what) {
        return new ModelFormatException("SentencePiece model " + source + " " + what);
    }

    /** Bytes that do not parse as a ModelProto: say so first, the protobuf detail after. */
    private ModelFormatException notModel(String detail) {
        return new ModelFormatException(source + " is not a SentencePiece model file (not a protobuf ModelProto: "
                + detail + ")");
    }

    /** A guess at what a file that failed to parse really is, for the message; null if no idea. */
    private static String foreignHint(byte[] data) {
        int i = 0;
        while (i < data.length && i < 64 && Character.isWhitespace(data[i])) {
            i++;
        }
        if (i < data.length && (data[i] == '{' || data[i] == '[')) {
            return "it looks like JSON: a HuggingFace tokenizer.json? Parley reads the .spm file beside it";
        }
        if (data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B) {
            return "it is gzip-compressed: unpack it first";
        }
        if (data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
            return "it is a zip archive: unpack it first";
        }
        int printable = 0, n = Math.min(data.length, 512);
        for (int k = 0; k < n; k++) {
            int b = data[k] & 0xFF;
            if (b == '\n' || b == '\r' || b == '\t' || (b >= 0x20 && b < 0x7F)) {
                printable++;
            }
        }
        if (printable == n) {
            return "it is a text file, and SentencePiece models are binary: Parley needs the .spm/.model file";
        }
        return null;
    }

    // ---- wire format -------------------------------------------------------------------------

    /** A read position inside one message, [pos, end) of {@link #data}. */
    private final class Cursor {
        private int pos;
        private final int end;
        private final String what;

        Cursor(int pos, int end, String what) {
            this.pos = pos;
            this.end = end;
            this.what = what;
        }

        boolean more() {
            return pos < end;
        }

        int tag() throws ModelFormatException {
            int at = pos;
            long tag = rawVarint();
            int wire = (int) (tag & 7);
            if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFF || wire == 6 || wire == 7) {
                throw notModel("invalid field tag " + tag + " at byte " + at + " in " + what);
            }
            if (wire == 3 || wire == 4) {
                throw notModel("protobuf group, wire type " + wire + ", at byte " + at + " in " + what);
            }
            return (int) tag;
        }

        long varint(int tag) throws ModelFormatException {
            expect(tag, VARINT);
            return rawVarint();
        }

        float fixed32Float(int tag) throws ModelFormatException {
            expect(tag, FIXED32);
            need(4, "a float");
            int bits = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16
                    | (data[pos + 3] & 0xFF) << 24;
            pos += 4;
            return Float.intBitsToFloat(bits);
        }

        byte[] bytes(int tag, String field) throws ModelFormatException {
            expect(tag, LEN);
            int length = length(field);
            byte[] out = Arrays.copyOfRange(data, pos, pos + length);
            pos += length;
            return out;
        }

        String string(int tag, String field) throws ModelFormatException {
            byte[] utf8 = bytes(tag, field);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
            } catch (CharacterCodingException e) {
                throw notModel(field + " is not UTF-8 text");
            }
        }

        Cursor message(int tag, String field) throws ModelFormatException {
            expect(tag, LEN);
            int length = length(field);
            Cursor inner = new Cursor(pos, pos + length, field);
            pos += length;
            return inner;
        }

        void skip(int tag) throws ModelFormatException {
            switch (tag & 7) {
                case VARINT -> rawVarint();
                case FIXED64 -> {
                    need(8, "a 64-bit field");
                    pos += 8;
                }
                case FIXED32 -> {
                    need(4, "a 32-bit field");
                    pos += 4;
                }
                case LEN -> {
                    int length = length("field " + (tag >>> 3)); // reads the length first: pos moves
                    pos += length;
                }
                default -> throw new IllegalStateException("wire type checked in tag()");
            }
        }

        private int length(String field) throws ModelFormatException {
            int at = pos;
            long length = rawVarint();
            if (length < 0 || length > end - pos) {
                throw beyond(at, length, field);
            }
            return (int) length;
        }

        private void expect(int tag, int wire) throws ModelFormatException {
            if ((tag & 7) != wire) {
                throw notModel("field " + (tag >>> 3) + " in " + what + " has wire type " + (tag & 7) + " where "
                        + wire + " belongs");
            }
        }

        private void need(int n, String thing) throws ModelFormatException {
            if (end - pos < n) {
                throw beyond(pos, n, thing);
            }
        }

        /** Data that runs past its message: past the end of the file is truncation, else corruption. */
        private ModelFormatException beyond(int at, long length, String field) {
            if (end == data.length) {
                return error("is truncated: " + field + " at byte " + at + " needs " + length
                        + " bytes but only " + (data.length - pos) + " remain (the file has " + data.length
                        + " bytes; is the download complete?)");
            }
            return notModel(field + " at byte " + at + " runs past the end of " + what);
        }

        private long rawVarint() throws ModelFormatException {
            long value = 0;
            int at = pos;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw beyond(at, shift / 7 + 1, "a number");
                }
                byte b = data[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw notModel("a number at byte " + at + " in " + what + " is longer than 10 bytes");
        }
    }
}
