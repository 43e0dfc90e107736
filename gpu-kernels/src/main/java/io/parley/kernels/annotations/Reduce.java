package io.parley.kernels.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an output array that a loop reduces into, in TornadoVM's programming model: each
 * iteration combines its value into {@code out[0]} with an associative operation (sum, max).
 * Backends may compute partial results in parallel and combine them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.LOCAL_VARIABLE})
public @interface Reduce {
}
