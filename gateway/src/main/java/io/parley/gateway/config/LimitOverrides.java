package io.parley.gateway.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code --limit NAME=VALUE}: sets one field of {@link Limits}, {@link ConnectionLimits},
 * {@link RoomLimits} or {@link FileLimits} by its name, so that every limit can be configured without an option of its
 * own. The record's own checks then judge the value, as for the defaults.
 */
final class LimitOverrides {

    private static final List<Class<? extends Record>> RECORDS = List.of(Limits.class, ConnectionLimits.class, RoomLimits.class,
            FileLimits.class);

    private LimitOverrides() {
    }

    static GatewayConfig apply(GatewayConfig config, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--limit takes NAME=VALUE, e.g. maxConnectionsPerAddress=64, not '" + assignment + "'");
        }
        String name = assignment.substring(0, eq).strip();
        String value = assignment.substring(eq + 1).strip();
        if (has(Limits.class, name)) {
            return config.withLimits(with(config.limits(), name, value));
        }
        if (has(ConnectionLimits.class, name)) {
            return config.withConnections(with(config.connections(), name, value));
        }
        if (has(RoomLimits.class, name)) {
            return config.withRooms(with(config.rooms(), name, value));
        }
        if (has(FileLimits.class, name)) {
            return config.withFiles(with(config.files(), name, value));
        }
        throw new IllegalArgumentException("unknown limit '" + name + "'; the limits are: " + String.join(", ", names()));
    }

    static TreeSet<String> names() {
        TreeSet<String> all = new TreeSet<>();
        for (Class<? extends Record> r : RECORDS) {
            for (RecordComponent c : r.getRecordComponents()) {
                all.add(c.getName());
            }
        }
        return all;
    }

    private static boolean has(Class<? extends Record> type, String name) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R with(R record, String name, String value) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = components[i].getName().equals(name) ? parse(name, types[i], value)
                        : components[i].getAccessor().invoke(record);
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return (R) canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(String name, Class<?> type, String value) {
        try {
            if (type == int.class) {
                return Integer.parseInt(value);
            }
            if (type == long.class) {
                return Long.parseLong(value);
            }
            if (type == double.class) {
                double d = Double.parseDouble(value);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--limit " + name + " takes a " + (type == double.class ? "number" : "whole number")
                    + ", not '" + value + "'");
        }
        if (type == Duration.class) {
            return Durations.parse("--limit " + name, value);
        }
        if (type == boolean.class) {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException("--limit " + name + " takes true or false, not '" + value + "'");
            }
            return Boolean.parseBoolean(value);
        }
        throw new IllegalStateException("no parser for " + type);
    }

    /** Every limit with its current value, for the documentation and {@code --help}. */
    static List<String> describe(GatewayConfig config) {
        List<String> out = new ArrayList<>();
        for (Record r : List.of(config.limits(), config.connections(), config.rooms(), config.files())) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(r);
                    out.add(c.getName() + "=" + (v instanceof Duration d ? Durations.format(d) : v));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }
}
