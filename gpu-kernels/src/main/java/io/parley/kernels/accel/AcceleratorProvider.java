package io.parley.kernels.accel;

/**
 * A backend that can be chosen by name. The JVM and OpenCL backends are built in; others (the
 * optional TornadoVM module) register through {@link java.util.ServiceLoader}.
 */
public interface AcceleratorProvider {

    String name();

    /**
     * @throws IllegalStateException with a message a person can act on, when the backend cannot
     *                               run here (no OpenCL platform, no TornadoVM runtime)
     */
    Accelerator create(AcceleratorConfig config);
}
