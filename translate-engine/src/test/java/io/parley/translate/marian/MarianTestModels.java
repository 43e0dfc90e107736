package io.parley.translate.marian;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorFactory;
import io.parley.translate.marian.engine.MarianEngine;
import io.parley.translate.marian.engine.MarianModelDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Bergamot models the tests run on, from the model cache that {@code tools/models.sh
 * ensure mt-enpt mt-pten} fills ({@code ./parley test} does). Loaded once per JVM.
 */
public final class MarianTestModels {

    private static final Map<String, MarianEngine> LOADED = new HashMap<>();
    private static Accelerator jvm;

    private MarianTestModels() {
    }

    /** The folder of a cached model ({@code mt-enpt}, {@code mt-pten}); fails with how to get it. */
    public static Path dir(String name) {
        return MarianModelDir.locate(name);
    }

    public static synchronized Accelerator jvm() {
        if (jvm == null) {
            jvm = AcceleratorFactory.create(AcceleratorConfig.defaults());
        }
        return jvm;
    }

    /** The engine of a cached model on the JVM backend, greedy as the model's configuration says. */
    public static synchronized MarianEngine engine(String name) throws Exception {
        MarianEngine e = LOADED.get(name);
        if (e == null) {
            e = MarianEngine.load(MarianModelDir.open(dir(name)), jvm(), 0);
            LOADED.put(name, e);
        }
        return e;
    }
}
