package io.parley.translate.marian.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Marian binary model file (version 1), memory-mapped: a header of item descriptors (name
 * length, type, shape length, data length; four little-endian uint64 each), then the names, the
 * int32 shapes, an alignment pad, and the items' data one after another.
 *
 * <p>Only the container is read here; what the items mean is {@link MarianWeights}'s business.
 */
public final class MarianFile {

    /** Marian's type tags for the two kinds of item these models hold (and the embedded YAML). */
    public static final long TYPE_FLOAT32 = 0x0404;
    public static final long TYPE_INTGEMM8 = 0x4101;
    public static final long TYPE_INT8_TEXT = 0x0101;

    /** One item: where its bytes are and what they are said to be. */
    public record Item(String name, long type, int[] shape, long offset, long length) {
        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static final int MAX_ITEMS = 100_000;
    private static final int MAX_NAME = 4096;

    private final Path path;
    private final ByteBuffer data;
    private final Map<String, Item> items;

    private MarianFile(Path path, ByteBuffer data, Map<String, Item> items) {
        this.path = path;
        this.data = data;
        this.items = items;
    }

    /**
     * Maps and indexes a model file.
     *
     * @throws MarianModelException if the file is not a Marian binary model or is cut short
     */
    public static MarianFile open(Path path) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
        }
        long size = buf.capacity();
        String what = path.getFileName().toString();
        if (size < 16) {
            throw new MarianModelException(what + " is " + size + " bytes: too short to be a Marian model");
        }
        long version = buf.getLong(0);
        long count = buf.getLong(8);
        if (version != 1) {
            throw new MarianModelException(what + " is not a Marian binary model (version field " + version
                    + ", expected 1); a model converted with marian-conv is expected");
        }
        if (count <= 0 || count > MAX_ITEMS || 16 + count * 32 > size) {
            throw new MarianModelException(what + " is not a Marian binary model or is truncated (it claims "
                    + count + " items in " + size + " bytes)");
        }
        long pos = 16;
        long[][] headers = new long[(int) count][4];
        for (int i = 0; i < count; i++) {
            for (int f = 0; f < 4; f++) {
                headers[i][f] = buf.getLong((int) pos);
                pos += 8;
            }
            if (headers[i][0] <= 0 || headers[i][0] > MAX_NAME || headers[i][2] < 0 || headers[i][2] > 8
                    || headers[i][3] < 0) {
                throw new MarianModelException(what + ": item " + i + " has an impossible header; the file is"
                        + " not a Marian binary model");
            }
        }
        String[] names = new String[(int) count];
        for (int i = 0; i < count; i++) {
            int len = (int) headers[i][0];
            need(what, pos + len, size);
            byte[] b = new byte[len];
            buf.get((int) pos, b);
            int end = len;
            while (end > 0 && b[end - 1] == 0) {
                end--;
            }
            names[i] = new String(b, 0, end, StandardCharsets.UTF_8);
            pos += len;
        }
        int[][] shapes = new int[(int) count][];
        for (int i = 0; i < count; i++) {
            int dims = (int) headers[i][2];
            need(what, pos + 4L * dims, size);
            shapes[i] = new int[dims];
            for (int d = 0; d < dims; d++) {
                shapes[i][d] = buf.getInt((int) pos);
                pos += 4;
            }
        }
        need(what, pos + 8, size);
        long pad = buf.getLong((int) pos);
        pos += 8 + pad;
        Map<String, Item> items = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            long len = headers[i][3];
            need(what, pos + len, size);
            items.put(names[i], new Item(names[i], headers[i][1], shapes[i], pos, len));
            pos += len;
        }
        return new MarianFile(path, buf, items);
    }

    private static void need(String what, long end, long size) {
        if (end > size) {
            throw new MarianModelException(what + " is truncated: its header needs " + end + " bytes and the file has "
                    + size + "; download it again");
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, Item> items() {
        return items;
    }

    /** An item that must be there. */
    public Item item(String name) {
        Item it = items.get(name);
        if (it == null) {
            throw new MarianModelException(path.getFileName() + " has no item '" + name + "'; this is not the"
                    + " architecture Parley runs (a Bergamot transformer with an SSRU decoder)");
        }
        return it;
    }

    public boolean has(String name) {
        return items.containsKey(name);
    }

    /** The float32 values of an item. */
    public float[] floats(String name) {
        Item it = item(name);
        if (it.type() != TYPE_FLOAT32) {
            throw new MarianModelException("'" + name + "' is not float32 (type 0x" + Long.toHexString(it.type()) + ")");
        }
        float[] out = new float[(int) it.elements()];
        data.slice((int) it.offset(), (int) it.length()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** The first float32 of an item: a quantisation multiplier. */
    public float scalar(String name) {
        return data.getFloat((int) item(name).offset());
    }

    /** The int8 values of an intgemm8 item, and the multiplier stored right after them. */
    public QuantizedMatrix int8(String name) {
        Item it = item(name);
        if (it.type() != TYPE_INTGEMM8 || it.shape().length != 2) {
            throw new MarianModelException("'" + name + "' is not an 8-bit intgemm matrix (type 0x"
                    + Long.toHexString(it.type()) + ", shape " + java.util.Arrays.toString(it.shape()) + ")");
        }
        int rows = it.shape()[0];
        int cols = it.shape()[1];
        long n = (long) rows * cols;
        if (it.length() < n + 4) {
            throw new MarianModelException("'" + name + "' holds " + it.length() + " bytes, fewer than its "
                    + rows + " x " + cols + " values and their multiplier");
        }
        byte[] values = new byte[(int) n];
        data.get((int) it.offset(), values);
        float multiplier = data.getFloat((int) (it.offset() + n));
        return new QuantizedMatrix(rows, cols, values, multiplier);
    }

    /** A text item (the embedded {@code special:model.yml}). */
    public String text(String name) {
        Item it = item(name);
        byte[] b = new byte[(int) it.length()];
        data.get((int) it.offset(), b);
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** Names of the items, in file order. */
    public List<String> names() {
        return List.copyOf(items.keySet());
    }
}
