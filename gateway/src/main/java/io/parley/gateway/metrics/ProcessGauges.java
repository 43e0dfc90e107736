package io.parley.gateway.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's own vitals on {@code /metrics}: resident memory, the Java heap, CPU time and
 * open files, so that an operator (and {@code ./parley bench load}) can see a long meeting's
 * memory reach its plateau.
 */
public final class ProcessGauges {

    private ProcessGauges() {
    }

    public static void register(GatewayMetrics metrics) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        var os = ManagementFactory.getOperatingSystemMXBean();
        metrics.gauge("parley_process_resident_bytes", "Resident memory of the gateway process.", ProcessGauges::residentBytes);
        metrics.gauge("parley_jvm_heap_used_bytes", "Java heap in use (live data and garbage not yet collected).",
                () -> memory.getHeapMemoryUsage().getUsed());
        metrics.gauge("parley_jvm_heap_max_bytes", "The most Java heap the process may use.",
                () -> memory.getHeapMemoryUsage().getMax());
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            metrics.gauge("parley_process_cpu_seconds", "CPU time the gateway process has used since it started.",
                    () -> sun.getProcessCpuTime() / 1e9);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            metrics.gauge("parley_process_open_fds", "Open file descriptors (connections, files, pipes).",
                    unix::getOpenFileDescriptorCount);
        }
    }

    /** This process's resident memory, VmRSS from /proc (Linux); NaN elsewhere. */
    public static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
