package io.parley.speech.whisper.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One variable of a CTranslate2 model file: its shape, its storage type and a view of its
 * bytes in the memory-mapped file (nothing is copied until a value is asked for).
 *
 * @param name  e.g. {@code encoder/layer_0/self_attention/linear_0/weight}
 * @param shape dimensions, outermost first
 * @param dtype storage type
 * @param data  the little-endian bytes
 */
public record Tensor(String name, int[] shape, DType dtype, MemorySegment data) {

    /** CTranslate2's type ids. */
    public enum DType {
        F32(0, 4), I8(1, 1), I16(2, 2), I32(3, 4), F16(4, 2), BF16(5, 2);

        final int id;
        final int size;

        DType(int id, int size) {
            this.id = id;
            this.size = size;
        }

        static DType of(int id) {
            for (DType d : values()) {
                if (d.id == id) {
                    return d;
                }
            }
            throw new ModelFormatException("unknown data type id " + id);
        }
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Every value widened to f32 (f16 and bf16 exactly). */
    public float[] toFloats() {
        int n = Math.toIntExact(elements());
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.float16ToFloat(data.getAtIndex(I16, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((data.getAtIndex(I16, i) & 0xffff) << 16);
                }
            }
            case I8 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.get(ValueLayout.JAVA_BYTE, i);
                }
            }
            case I16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getAtIndex(I16, i);
                }
            }
            case I32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = data.getAtIndex(I32, i);
                }
            }
        }
        return out;
    }

    /** The raw half-precision bits, for f16 tensors kept as they are. */
    public short[] toHalfBits() {
        if (dtype != DType.F16) {
            throw new ModelFormatException(name + " is " + dtype + ", not f16");
        }
        short[] out = new short[Math.toIntExact(elements())];
        MemorySegment.copy(data, I16, 0, out, 0, out.length);
        return out;
    }

    /** A scalar integer (CTranslate2 stores flags and head counts as 0-d tensors). */
    public int scalarInt() {
        if (elements() != 1) {
            throw new ModelFormatException(name + " is not a scalar: " + Arrays.toString(shape));
        }
        return switch (dtype) {
            case I8 -> data.get(ValueLayout.JAVA_BYTE, 0);
            case I16 -> data.getAtIndex(I16, 0);
            case I32 -> data.getAtIndex(I32, 0);
            default -> (int) toFloats()[0];
        };
    }

    public int dim(int i) {
        return shape[i];
    }
}
