package io.parley.translate.marian.engine;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;

/**
 * Where the translation models run. On the JVM backend they get an accelerator of their own
 * with one thread: a decoder step of these 256-wide models is a dozen products of some hundred
 * thousand multiply-adds each, and waking a second thread for each costs more than the product
 * (measured: 64 sentences/s on one thread, 32 on two, bench/results/mt.json). Parallelism comes
 * instead from each direction's worker and from batching. Other backends are shared as they are.
 */
public final class TranslationAccelerator {

    private TranslationAccelerator() {
    }

    /**
     * The accelerator for translation models: a new one-thread JVM backend when {@code shared}
     * is the JVM backend (the caller closes it), else {@code shared} itself.
     */
    public static Accelerator forModels(Accelerator shared) {
        if (shared.name().equals("jvm")) {
            return AcceleratorFactory.create(new AcceleratorConfig("jvm", 1, ""));
        }
        return shared;
    }
}
