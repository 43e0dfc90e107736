package io.parley.gateway.config;

import java.time.Duration;

/** Range checks for configuration values, with messages that name the setting and its bounds. */
final class Check {

    private Check() {
    }

    static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("limits: " + name + " must be at least " + min + ", not " + value);
        }
    }

    static void atMost(String name, long value, long max) {
        if (value > max) {
            throw new IllegalArgumentException("limits: " + name + " must be at most " + max + ", not " + value);
        }
    }

    static void between(String name, long value, long min, long max) {
        atLeast(name, value, min);
        atMost(name, value, max);
    }

    static void between(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException("limits: " + name + " must be between " + Durations.format(min) + " and "
                    + Durations.format(max) + ", not " + (value == null ? "nothing" : Durations.format(value)));
        }
    }
}
