package io.parley.gateway.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Hostile inputs from valid ones: byte flips, insertions, deletions, repeats, splices with other
 * seeds, numbers swapped for extremes, strings for tricky text, nesting deepened, and now and
 * then pure noise. Seeded, so that a failure can be replayed.
 */
final class Mutator {

    private static final String[] EXTREMES = {"0", "-1", "4294983296", "-2147483649", "9223372036854775808", "1e300",
            "-1e300", "NaN", "Infinity", "0.5", "1e-320", "null", "true", "[]", "{}", "\"\"", "\"16000\""};
    private static final String[] TRICKY = {"\u202Eevil", "\u0000", "\uD800", "\uFFFF", "<script>", "{\\an8}",
            "\\u0000", "'; DROP TABLE finals; --", "../../etc/passwd", "%00", "\r\n\r\n", "é".repeat(3000), "𝕏".repeat(40)};

    private final Random random;
    private final List<String> seeds;

    Mutator(long seed, List<String> seeds) {
        this.random = new Random(seed);
        this.seeds = seeds;
    }

    Random random() {
        return random;
    }

    /** A mutated seed (text): half the time a JSON seed is changed as JSON, so that it still parses. */
    String text() {
        String s = seeds.get(random.nextInt(seeds.size()));
        if (random.nextBoolean() && s.startsWith("{")) {
            try {
                return mutateJson(new io.vertx.core.json.JsonObject(s), 0).encode();
            } catch (RuntimeException notJson) {
                // fall through to text mutations
            }
        }
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            s = switch (random.nextInt(10)) {
                case 0 -> flip(s);
                case 1 -> insert(s, String.valueOf((char) random.nextInt(0x3000)));
                case 2 -> delete(s);
                case 3 -> splice(s, seeds.get(random.nextInt(seeds.size())));
                case 4 -> replaceNumber(s);
                case 5 -> replaceString(s);
                case 6 -> "[" .repeat(random.nextInt(2000)) + s;
                case 7 -> s.substring(0, random.nextInt(s.length() + 1));
                case 8 -> insert(s, EXTREMES[random.nextInt(EXTREMES.length)]);
                default -> noise(random.nextInt(64));
            };
        }
        return s;
    }

    /** Changes values, adds and drops fields, nests, in a JSON object. */
    private io.vertx.core.json.JsonObject mutateJson(io.vertx.core.json.JsonObject o, int depth) {
        io.vertx.core.json.JsonObject out = o.copy();
        List<String> names = new java.util.ArrayList<>(out.fieldNames());
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            String name = names.isEmpty() || random.nextInt(5) == 0 ? TRICKY[random.nextInt(TRICKY.length)].substring(0, 1) + "x"
                    : names.get(random.nextInt(names.size()));
            if (random.nextInt(6) == 0) {
                out.remove(name);
            } else {
                out.put(name, value(out.getValue(name), depth));
            }
        }
        return out;
    }

    private Object value(Object old, int depth) {
        return switch (random.nextInt(9)) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> new java.math.BigDecimal(EXTREMES[random.nextInt(5) + 1].replace("Infinity", "1e400"));
            case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(20) - 5);
            case 4 -> TRICKY[random.nextInt(TRICKY.length)];
            case 5 -> noise(random.nextInt(40));
            case 6 -> depth < 3 ? new io.vertx.core.json.JsonArray().add(value(old, depth + 1)).add(value(null, depth + 1))
                    : "deep";
            case 7 -> depth < 3 && old instanceof io.vertx.core.json.JsonObject j ? mutateJson(j, depth + 1)
                    : new io.vertx.core.json.JsonObject().put("x", value(null, depth + 1));
            default -> old instanceof io.vertx.core.json.JsonArray a && !a.isEmpty()
                    ? new io.vertx.core.json.JsonArray().add(value(a.getValue(0), depth + 1)) : random.nextInt();
        };
    }

    /** Random bytes, sometimes a mutated seed's. */
    byte[] bytes(int maxLength) {
        if (random.nextBoolean()) {
            byte[] b = new byte[random.nextInt(maxLength + 1)];
            random.nextBytes(b);
            return b;
        }
        byte[] t = text().getBytes(StandardCharsets.UTF_8);
        return t.length > maxLength ? java.util.Arrays.copyOf(t, maxLength) : t;
    }

    String noise(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000)));
        }
        return b.toString();
    }

    private String flip(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char[] c = s.toCharArray();
        int i = random.nextInt(c.length);
        c[i] = (char) (c[i] ^ (1 << random.nextInt(8)));
        return new String(c);
    }

    private String insert(String s, String what) {
        int i = random.nextInt(s.length() + 1);
        return s.substring(0, i) + what + s.substring(i);
    }

    private String delete(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int i = random.nextInt(s.length());
        int n = 1 + random.nextInt(Math.min(8, s.length() - i));
        return s.substring(0, i) + s.substring(i + n);
    }

    private String splice(String a, String b) {
        return a.substring(0, random.nextInt(a.length() + 1)) + b.substring(random.nextInt(b.length() + 1));
    }

    private String replaceNumber(String s) {
        return s.replaceFirst("-?\\d+(\\.\\d+)?", EXTREMES[random.nextInt(EXTREMES.length)]);
    }

    private String replaceString(String s) {
        String t = TRICKY[random.nextInt(TRICKY.length)];
        return s.replaceFirst("\"[^\"]*\"", "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }
}
