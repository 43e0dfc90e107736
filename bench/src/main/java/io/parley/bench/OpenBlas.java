package io.parley.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * OpenBLAS (Debian's {@code libopenblas0}) through Java's foreign function API: the peer that
 * Parley's matrix product is measured against, on the same inputs, in the same run.
 */
final class OpenBlas {

    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final MethodHandle sgemm;
    private final String config;
    private final int threads;

    private OpenBlas(MethodHandle sgemm, String config, int threads) {
        this.sgemm = sgemm;
        this.config = config;
        this.threads = threads;
    }

    static OpenBlas load() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        MethodHandle sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, ValueLayout.ADDRESS, i, ValueLayout.ADDRESS, i, f,
                        ValueLayout.ADDRESS, i));
        try {
            MethodHandle getConfig = linker.downcallHandle(lib.find("openblas_get_config").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MethodHandle getThreads = linker.downcallHandle(lib.find("openblas_get_num_threads").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            String config = ((MemorySegment) getConfig.invokeExact()).reinterpret(256).getString(0).strip();
            int threads = (int) getThreads.invokeExact();
            return new OpenBlas(sgemm, config, threads);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot query OpenBLAS", t);
        }
    }

    String config() {
        return config;
    }

    int threads() {
        return threads;
    }

    /** {@code y[m x n] = x[m x k] wᵀ} with {@code w} as {@code n x k}: the layout of Parley's matmul. */
    void multiply(MemorySegment x, MemorySegment w, MemorySegment y, int m, int k, int n) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, TRANS, m, n, k, 1f, x, k, w, k, 0f, y, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
