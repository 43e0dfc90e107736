package io.parley.kernels.accel;

import io.parley.kernels.jvm.JvmAccelerator;
import io.parley.kernels.opencl.OpenClAccelerator;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Creates the backend a configuration names. */
public final class AcceleratorFactory {

    private AcceleratorFactory() {
    }

    public static Accelerator create(AcceleratorConfig config) {
        switch (config.backend()) {
            case "jvm" -> {
                int threads = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
                return new JvmAccelerator(threads);
            }
            case "opencl" -> {
                return OpenClAccelerator.open(config.device());
            }
            default -> {
                List<String> known = new ArrayList<>(List.of("jvm", "opencl"));
                for (AcceleratorProvider p : ServiceLoader.load(AcceleratorProvider.class)) {
                    if (p.name().equals(config.backend())) {
                        return p.create(config);
                    }
                    known.add(p.name());
                }
                throw new IllegalArgumentException("unknown accelerator backend '" + config.backend()
                        + "'; available here: " + known);
            }
        }
    }
}
