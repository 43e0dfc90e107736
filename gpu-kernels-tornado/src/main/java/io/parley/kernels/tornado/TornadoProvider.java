package io.parley.kernels.tornado;

import io.parley.kernels.accel.Accelerator;
import io.parley.kernels.accel.AcceleratorConfig;
import io.parley.kernels.accel.AcceleratorProvider;

/** Registers the {@code tornado} backend with {@code AcceleratorFactory} through ServiceLoader. */
public final class TornadoProvider implements AcceleratorProvider {

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public Accelerator create(AcceleratorConfig config) {
        String annotation = System.getProperty("tornado.load.annotation.parallel", "");
        if (!annotation.equals(io.parley.kernels.annotations.Parallel.class.getName())) {
            throw new IllegalStateException("TornadoVM must be told which annotation marks parallel loops: start with"
                    + " -Dtornado.load.annotation.parallel=" + io.parley.kernels.annotations.Parallel.class.getName()
                    + " (now '" + annotation + "'); see gpu-kernels-tornado/README.md");
        }
        return new TornadoAccelerator();
    }
}
