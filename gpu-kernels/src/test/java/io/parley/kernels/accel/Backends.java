package io.parley.kernels.accel;

import io.parley.kernels.jvm.JvmAccelerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The backends every conformance test runs on, created once per test JVM: the JVM backend on
 * all cores and on one (its single-threaded path differs), and OpenCL on the first device found
 * (PoCL on a CPU in CI; {@code ./parley test} installs it).
 */
public final class Backends {

    private static final Map<String, Accelerator> OPEN = new ConcurrentHashMap<>();

    private Backends() {
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of("jvm", "jvm-1-thread"));
        names.add("opencl");
        return names;
    }

    public static Accelerator get(String name) {
        return OPEN.computeIfAbsent(name, n -> create(n).get());
    }

    private static Supplier<Accelerator> create(String name) {
        return switch (name) {
            case "jvm" -> JvmAccelerator::new;
            case "jvm-1-thread" -> () -> new JvmAccelerator(1);
            case "opencl" -> () -> AcceleratorFactory.create(new AcceleratorConfig("opencl", 0, ""));
            case "opencl-local-tiles" -> () -> io.parley.kernels.opencl.OpenClAccelerator.open("",
                    io.parley.kernels.opencl.ClMatmulPlan.Layout.LOCAL_TILES);
            default -> throw new IllegalArgumentException(name);
        };
    }
}
