package io.parley.testkit;

import java.util.Map;
import java.util.TreeMap;

/** A gateway's {@code /metrics} (Prometheus text exposition) read back as series → value. */
public final class MetricsText {

    private MetricsText() {
    }

    /** Every series of {@code exposition} as {@code name{labels}} → value; comments and unparsable values left out. */
    public static Map<String, Double> parse(String exposition) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException ignored) {
                // NaN and the like
            }
        }
        return out;
    }
}
