package io.parley.speech.whisper.model;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CTranslate2 model file ({@code model.bin}), memory-mapped with the foreign memory API:
 * a little-endian header (binary version, spec name, spec revision), the variables (name, rank,
 * dimensions, type id, byte count, data), then an alias table. Variables are views into the
 * mapping; they stay valid while this file is open.
 */
public final class CTranslate2ModelFile implements AutoCloseable {

    /** The binary versions this reader understands. */
    static final int MIN_VERSION = 5;
    static final int MAX_VERSION = 6;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final String spec;
    private final int revision;
    private final Map<String, Tensor> variables;

    private CTranslate2ModelFile(Arena arena, String spec, int revision, Map<String, Tensor> variables) {
        this.arena = arena;
        this.spec = spec;
        this.revision = revision;
        this.variables = variables;
    }

    public static CTranslate2ModelFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            Reader r = new Reader(map, file);
            int version = r.u32();
            if (version < MIN_VERSION || version > MAX_VERSION) {
                throw new ModelFormatException(file + " is not a CTranslate2 model (binary version " + version
                        + "; this reader knows " + MIN_VERSION + " to " + MAX_VERSION + ")");
            }
            String spec = r.string();
            int revision = r.u32();
            int count = r.u32();
            if (count <= 0 || count > 100_000) {
                throw new ModelFormatException(file + ": implausible variable count " + count);
            }
            Map<String, Tensor> variables = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = r.string();
                int rank = r.u8();
                int[] shape = new int[rank];
                for (int d = 0; d < rank; d++) {
                    shape[d] = r.u32();
                }
                Tensor.DType dtype = Tensor.DType.of(r.u8());
                long bytes = Integer.toUnsignedLong(r.u32());
                long elements = 1;
                for (int d : shape) {
                    elements *= d;
                }
                if (elements * dtype.size != bytes) {
                    throw new ModelFormatException(file + ": variable " + name + " " + Arrays.toString(shape) + " of "
                            + dtype + " should take " + elements * dtype.size + " bytes, not " + bytes);
                }
                variables.put(name, new Tensor(name, shape, dtype, r.slice(bytes)));
            }
            int aliases = r.remaining() >= 4 ? r.u32() : 0;
            for (int i = 0; i < aliases; i++) {
                String alias = r.string();
                String target = r.string();
                Tensor t = variables.get(target);
                if (t == null) {
                    throw new ModelFormatException(file + ": alias " + alias + " names a missing variable " + target);
                }
                variables.put(alias, new Tensor(alias, t.shape(), t.dtype(), t.data()));
            }
            return new CTranslate2ModelFile(arena, spec, revision, variables);
        } catch (IOException e) {
            arena.close();
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Reads the header fields in order, refusing to run past the end. */
    private static final class Reader {
        final MemorySegment map;
        final Path file;
        long pos;

        Reader(MemorySegment map, Path file) {
            this.map = map;
            this.file = file;
        }

        long remaining() {
            return map.byteSize() - pos;
        }

        private void need(long n) {
            if (pos + n > map.byteSize()) {
                throw new ModelFormatException(file + " is truncated: needs " + (pos + n) + " bytes, has "
                        + map.byteSize());
            }
        }

        int u8() {
            need(1);
            return map.get(ValueLayout.JAVA_BYTE, pos++) & 0xff;
        }

        int u32() {
            need(4);
            int v = map.get(U32, pos);
            pos += 4;
            return v;
        }

        String string() {
            need(2);
            int length = map.get(U16, pos) & 0xffff;
            pos += 2;
            need(length);
            if (length == 0 || length > 4096) {
                throw new ModelFormatException(file + ": implausible string length " + length + " at byte " + (pos - 2));
            }
            byte[] b = map.asSlice(pos, length - 1).toArray(ValueLayout.JAVA_BYTE);
            pos += length; // the last byte is the terminating NUL
            return new String(b, StandardCharsets.UTF_8);
        }

        MemorySegment slice(long bytes) {
            need(bytes);
            MemorySegment s = map.asSlice(pos, bytes);
            pos += bytes;
            return s;
        }
    }

    public String spec() {
        return spec;
    }

    public int revision() {
        return revision;
    }

    public Map<String, Tensor> variables() {
        return variables;
    }

    public Tensor get(String name) {
        Tensor t = variables.get(name);
        if (t == null) {
            throw new ModelFormatException("the model has no variable " + name + " (spec " + spec + ")");
        }
        return t;
    }

    public boolean has(String name) {
        return variables.containsKey(name);
    }

    @Override
    public void close() {
        arena.close();
    }
}
