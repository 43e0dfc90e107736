package io.parley.kernels.accel;

import java.util.Locale;

/**
 * Which backend runs the kernels, validated when read.
 *
 * @param backend {@code jvm} (the default), {@code opencl}, or another installed provider's name
 * @param threads JVM backend threads; 0 means one per core
 * @param device  OpenCL device: a part of its name, case-insensitive; empty picks the first GPU,
 *                else the first accelerator, else the first device of any kind
 */
public record AcceleratorConfig(String backend, int threads, String device) {

    public AcceleratorConfig {
        if (backend == null || backend.isBlank()) {
            throw new IllegalArgumentException("accelerator: backend must be named (jvm, opencl, ...)");
        }
        backend = backend.toLowerCase(Locale.ROOT);
        if (threads < 0) {
            throw new IllegalArgumentException("accelerator: threads must be 0 (one per core) or more, not " + threads);
        }
        if (device == null) {
            device = "";
        }
    }

    public static AcceleratorConfig defaults() {
        return new AcceleratorConfig("jvm", 0, "");
    }
}
