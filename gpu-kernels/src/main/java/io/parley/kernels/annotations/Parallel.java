package io.parley.kernels.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a loop variable whose iterations are independent, in TornadoVM's programming model:
 * {@code for (@Parallel int i = 0; i < n; i++)}. A TornadoVM backend maps such loops onto
 * the device's thread grid; the JVM backend runs them as ordinary loops or splits them
 * across cores. A loop body under this annotation must not allocate, must not touch
 * objects other than primitive arrays, and must not carry state from one iteration to the next.
 *
 * <p>Parley declares its own copy so that the kernels compile without the TornadoVM SDK. It is
 * a type annotation kept in the class file, as TornadoVM's own is: TornadoVM finds loop
 * annotations by reading the class file, and accepts this one when started with
 * {@code -Dtornado.load.annotation.parallel=io.parley.kernels.annotations.Parallel}
 * (see the {@code tornado} build profile).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.LOCAL_VARIABLE, ElementType.TYPE_USE, ElementType.PARAMETER})
public @interface Parallel {
}
