package io.parley.gateway.metrics;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayMetricsTest {

    @Test
    void aGaugeOfSeveralSeriesIsRenderedOnceWithEachSeriesUnderItsLabels() {
        GatewayMetrics metrics = new GatewayMetrics();
        AtomicLong finals = new AtomicLong(3);
        Map<String, DoubleSupplier> series = new LinkedHashMap<>();
        series.put("kind=\"final\"", finals::get);
        series.put("kind=\"partial\"", () -> 12);
        metrics.gauge("parley_test_passes_total", "Passes by kind.", series);
        metrics.gauge("parley_test_plain", "One series.", () -> 2);
        finals.set(4); // read at the scrape, not when registered
        String out = metrics.render();
        assertTrue(out.contains("# HELP parley_test_passes_total Passes by kind.\n# TYPE parley_test_passes_total gauge\n"
                + "parley_test_passes_total{kind=\"final\"} 4\nparley_test_passes_total{kind=\"partial\"} 12\n"), out);
        assertTrue(out.contains("\nparley_test_plain 2\n"), out);
    }
}
