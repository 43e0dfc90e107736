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
 * <p>Parley declares its own copy so that the kernels compile without the TornadoVM SDK; the
 * optional {@code tornado} build maps it onto TornadoVM's annotation of the same name.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.LOCAL_VARIABLE, ElementType.PARAMETER})
public @interface Parallel {
}
