package io.parley.translate.marian.text;

import io.parley.translate.marian.text.ModelProto.NormalizerSpec;
import io.parley.translate.marian.text.ModelProto.Piece;
import io.parley.translate.marian.text.ModelProto.TrainerSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece unigram tokenizer, in plain Java and exact against the reference library
 * (sentencepiece 0.2.x): the same ids for the same text, the same text back from the same ids.
 * It is what the Bergamot/Marian translation models' {@code vocab.*.spm} files need.
 *
 * <p>Encoding normalizes the text ({@link Normalizer}) and then picks the segmentation with the
 * highest total piece score (Viterbi over every vocabulary piece that matches at every position),
 * as the library's optimized unigram encoder does, down to its float arithmetic and its
 * tie-breaking, so that near-ties go the same way:
 * <ul>
 *   <li>a character no piece starts with becomes the unknown piece, scored 10 below the worst
 *       piece, and consecutive unknowns merge into one unknown id;</li>
 *   <li>with byte fallback, an unknown character becomes its UTF-8 bytes as {@code <0xXX>} pieces
 *       instead;</li>
 *   <li>user-defined pieces get a score that beats any segmentation through them, so they come
 *       out whole; UNUSED pieces are never produced; CONTROL pieces (like {@code </s>}) are
 *       never matched in text: Marian appends {@code </s>} itself.</li>
 * </ul>
 *
 * <p>Immutable after {@link #load}; {@link #encode} and {@link #decode} may run on many threads.
 */
public final class SentencePieceModel {

    /** The library's penalty below the lowest piece score for an unknown character. */
    private static final float UNK_PENALTY = 10.0f;
    private static final String SPACE = "\u2581";

    private final ModelProto proto;
    private final String[] pieces;
    private final float[] scores;
    private final PieceType[] types;
    private final int[] byteValue;              // per id: the byte of a BYTE piece, else -1
    private final int[] byteIds = new int[256]; // per byte: its <0xXX> piece id (byte fallback)
    private final Map<String, Integer> normalIds = new HashMap<>();   // NORMAL, USER_DEFINED, UNUSED
    private final Map<String, Integer> reservedIds = new HashMap<>(); // CONTROL, UNKNOWN, BYTE
    private final PieceTrie trie;
    private final Normalizer normalizer;
    private final Normalizer denormalizer;     // null: none
    private final int unkPieceId;
    private final float unkScore;
    private final float maxScore;
    private final boolean byteFallback;

    private SentencePieceModel(ModelProto proto) throws ModelFormatException {
        this.proto = proto;
        List<Piece> list = proto.pieces();
        int n = list.size();
        pieces = new String[n];
        scores = new float[n];
        types = new PieceType[n];
        byteValue = new int[n];
        Arrays.fill(byteIds, -1);
        // The library starts from FLT_MAX / FLT_MIN (the smallest positive float, not the most
        // negative) over NORMAL pieces; user-defined scores depend on that maximum, so keep it.
        float min = Float.MAX_VALUE;
        float max = Float.MIN_NORMAL;
        int unk = -1;
        List<byte[]> trieKeys = new ArrayList<>();
        List<Integer> trieIds = new ArrayList<>();
        List<byte[]> userKeys = new ArrayList<>();
        List<Integer> userIds = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            Piece p = list.get(id);
            pieces[id] = p.text();
            scores[id] = p.score();
            types[id] = p.type();
            byteValue[id] = -1;
            switch (p.type()) {
                case NORMAL, USER_DEFINED, UNUSED -> {
                    normalIds.putIfAbsent(p.text(), id);
                    trieKeys.add(p.text().getBytes(StandardCharsets.UTF_8));
                    trieIds.add(id);
                    if (p.type() == PieceType.USER_DEFINED) {
                        userKeys.add(p.text().getBytes(StandardCharsets.UTF_8));
                        userIds.add(id);
                    }
                    if (p.type() == PieceType.NORMAL) {
                        min = Math.min(min, p.score());
                        max = Math.max(max, p.score());
                    }
                }
                case UNKNOWN, CONTROL, BYTE -> {
                    reservedIds.putIfAbsent(p.text(), id);
                    if (p.type() == PieceType.UNKNOWN) {
                        unk = id;
                    }
                    if (p.type() == PieceType.BYTE) {
                        int b = ModelProtoReader.byteOfPiece(p.text());
                        byteValue[id] = b;
                        byteIds[b] = id;
                    }
                }
            }
        }
        unkPieceId = unk;
        unkScore = min - UNK_PENALTY;
        maxScore = max;
        byteFallback = proto.trainerSpec().byteFallback();
        trie = PieceTrie.build(trieKeys.toArray(byte[][]::new), trieIds.stream().mapToInt(Integer::intValue).toArray());
        PieceTrie user = userKeys.isEmpty() ? null
                : PieceTrie.build(userKeys.toArray(byte[][]::new), userIds.stream().mapToInt(Integer::intValue).toArray());
        normalizer = new Normalizer(proto.normalizerSpec(), proto.trainerSpec().treatWhitespaceAsSuffix(), user);
        NormalizerSpec denorm = proto.denormalizerSpec();
        denormalizer = denorm != null && denorm.precompiledCharsmap().length > 0 ? new Normalizer(denorm, false, null) : null;
    }

    /**
     * Loads a SentencePiece unigram model ({@code .spm}, {@code .model}).
     *
     * @throws ModelFormatException when the file is truncated, not a SentencePiece model, or not a
     *                              unigram one
     */
    public static SentencePieceModel load(Path path) throws IOException {
        return new SentencePieceModel(ModelProtoReader.read(path));
    }

    /**
     * Loads a model from its bytes (a resource, a download in memory).
     *
     * @param source how to name it in error messages
     */
    public static SentencePieceModel load(byte[] data, String source) throws ModelFormatException {
        return new SentencePieceModel(ModelProtoReader.read(data, source));
    }

    // ---- encoding ----------------------------------------------------------------------------

    /**
     * The ids of {@code text}, as the library's {@code encode(text)} gives them (no bos/eos;
     * Marian's {@code </s>} is {@link #eosId()}). Text is taken as UTF-8; an unpaired surrogate,
     * which is not Unicode and which Python would refuse, arrives as '?'.
     */
    public int[] encode(String text) {
        Normalizer.Normalized normalized = normalizer.normalize(text);
        return encodeNormalized(normalized.utf8());
    }

    /** The normalized form of {@code text} that {@link #encode} segments, with its offsets. */
    public Normalizer.Normalized normalize(String text) {
        return normalizer.normalize(text);
    }

    /**
     * The library's {@code EncodeOptimized}: for every character boundary, the best-scoring path
     * that ends there, extended by every piece that starts there; then the path back from the end.
     * Positions are UTF-8 byte offsets. Path scores are stored as floats as in the library, but a
     * piece candidate is summed and compared in double, because the C++ expression's type is
     * double (its user-defined branch subtracts the double 0.1); an unknown candidate is a float
     * sum. Ties keep the earlier candidate. The fixture has cases that hinge on each of these.
     */
    private int[] encodeNormalized(byte[] s) {
        int size = s.length;
        if (size == 0) {
            return new int[0];
        }
        float[] best = new float[size + 1];
        int[] startsAt = new int[size + 1];
        int[] idAt = new int[size + 1];
        Arrays.fill(startsAt, -1);
        int start = 0;
        while (start < size) {
            float tillHere = best[start];
            int charLength = Math.min(Utf8.charLength(s[start]), size - start);
            boolean hasSingleChar = false;
            int state = PieceTrie.root();
            for (int pos = start; pos < size; pos++) {
                state = trie.next(state, s[pos]);
                if (state == PieceTrie.NONE) {
                    break;
                }
                int id = trie.value(state);
                if (id < 0 || types[id] == PieceType.UNUSED) {
                    continue;
                }
                int end = pos + 1;
                int length = end - start;
                double candidate = types[id] == PieceType.USER_DEFINED
                        ? ((double) (length * maxScore) - 0.1) + tillHere
                        : (double) scores[id] + tillHere;
                if (startsAt[end] == -1 || candidate > best[end]) {
                    best[end] = (float) candidate;
                    startsAt[end] = start;
                    idAt[end] = id;
                }
                if (length == charLength) {
                    hasSingleChar = true;
                }
            }
            if (!hasSingleChar) {
                int end = start + charLength;
                float candidate = unkScore + tillHere;
                if (startsAt[end] == -1 || candidate > best[end]) {
                    best[end] = candidate;
                    startsAt[end] = start;
                    idAt[end] = unkPieceId;
                }
            }
            start += charLength;
        }

        // Back from the end: the pieces in reverse.
        int count = 0;
        for (int end = size; end > 0; end = startsAt[end]) {
            count++;
        }
        int[] ends = new int[count];
        for (int end = size, k = count - 1; end > 0; end = startsAt[end], k--) {
            ends[k] = end;
        }

        // As the library's result: unknown runs merge into one id, or spill into byte pieces.
        int[] out = new int[byteFallback ? size : count]; // a byte piece covers one byte, any other piece more
        int n = 0;
        boolean prevUnknown = false;
        for (int k = 0; k < count; k++) {
            int end = ends[k];
            int id = idAt[end];
            boolean unknown = types[id] == PieceType.UNKNOWN;
            if (unknown && byteFallback) {
                int from = startsAt[end];
                for (int i = from; i < end; i++) {
                    out[n++] = byteIds[s[i] & 0xFF];
                }
            } else if (!(unknown && prevUnknown)) {
                out[n++] = id;
            }
            prevUnknown = unknown;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    // ---- decoding ----------------------------------------------------------------------------

    /**
     * The text of {@code ids}, as the library's {@code decode(ids)}: pieces joined, '▁' as a space,
     * the leading space gone, control pieces (like {@code </s>}) dropped, unknown as " ⁇ ", runs
     * of byte pieces read back as UTF-8.
     *
     * @throws IllegalArgumentException for an id outside the vocabulary
     */
    public String decode(int[] ids) {
        boolean stripEveryLeading = proto.normalizerSpec().removeExtraWhitespaces();
        boolean stripLeading = proto.normalizerSpec().addDummyPrefix() || stripEveryLeading;
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean atStart = true;       // still where a leading space would be dropped
        boolean leadingSeen = false;  // the previous piece lost its leading space
        for (int id : ids) {
            if (id < 0 || id >= pieces.length) {
                throw new IllegalArgumentException("Invalid id: " + id + " (the vocabulary has " + pieces.length + ")");
            }
            if (types[id] == PieceType.BYTE) {
                bytes.write(byteValue[id]);
                continue;
            }
            flushBytes(bytes, text);
            if (leadingSeen || !text.isEmpty()) {
                atStart = false;
            }
            leadingSeen = false;
            String piece = pieces[id];
            switch (types[id]) {
                case CONTROL -> {
                    // invisible
                }
                case UNKNOWN -> text.append(proto.trainerSpec().unkSurface());
                default -> {
                    if (atStart && stripLeading && piece.startsWith(SPACE)) {
                        piece = piece.substring(SPACE.length());
                        // With remove_extra_whitespaces every leading space goes, so keep looking.
                        leadingSeen = !stripEveryLeading;
                    }
                    text.append(piece.replace(SPACE, " "));
                }
            }
        }
        flushBytes(bytes, text);
        String decoded = text.toString();
        return denormalizer == null ? decoded : denormalizer.normalize(decoded).text();
    }

    /** Byte pieces back to text, each malformed byte as U+FFFD as the library does. */
    private static void flushBytes(ByteArrayOutputStream pending, StringBuilder text) {
        if (pending.size() == 0) {
            return;
        }
        byte[] b = pending.toByteArray();
        pending.reset();
        int pos = 0;
        while (pos < b.length) {
            int length = Utf8.validLength(b, pos, b.length);
            if (length == 0) {
                text.append('\uFFFD');
                pos++;
            } else {
                text.append(new String(b, pos, length, StandardCharsets.UTF_8));
                pos += length;
            }
        }
    }

    // ---- vocabulary --------------------------------------------------------------------------

    /** The piece text of {@code id} (with '▁' for a space). */
    public String piece(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("Invalid id: " + id + " (the vocabulary has " + pieces.length + ")");
        }
        return pieces[id];
    }

    /** The id of a piece's text, or the unknown id when the vocabulary has no such piece. */
    public int id(String piece) {
        Integer id = reservedIds.get(piece);
        if (id == null) {
            id = normalIds.get(piece);
        }
        return id != null ? id : unkPieceId;
    }

    public PieceType type(int id) {
        piece(id);
        return types[id];
    }

    public float score(int id) {
        piece(id);
        return scores[id];
    }

    /** The number of pieces; ids run from 0 to size() - 1. */
    public int size() {
        return pieces.length;
    }

    /** The id of the unknown piece, as the library's {@code unk_id()} (found by its piece text). */
    public int unkId() {
        int id = id(proto.trainerSpec().unkPiece());
        return types[id] == PieceType.UNKNOWN ? id : -1;
    }

    /** The end-of-sentence id that Marian appends, or -1 when the model has none. */
    public int eosId() {
        return controlId(proto.trainerSpec().eosPiece());
    }

    /** The beginning-of-sentence id, or -1 (the Bergamot vocabularies have none). */
    public int bosId() {
        return controlId(proto.trainerSpec().bosPiece());
    }

    /** The padding id, or -1 (the Bergamot vocabularies have none; Marian pads with eos). */
    public int padId() {
        return controlId(proto.trainerSpec().padPiece());
    }

    /** The library finds bos/eos/pad by their piece text and accepts them only as control pieces. */
    private int controlId(String piece) {
        int id = id(piece);
        return types[id] == PieceType.CONTROL ? id : -1;
    }

    public TrainerSpec trainerSpec() {
        return proto.trainerSpec();
    }

    public NormalizerSpec normalizerSpec() {
        return proto.normalizerSpec();
    }
}
