package io.parley.gateway.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Fails a test class during which Vert.x reported an event loop blocked past
 * {@link TightVertx#MAX_EVENT_LOOP_MS} (registered for every test class of this module by
 * extension auto-detection). The report names the thread and, with the stack it was caught in,
 * the code that blocked.
 */
public final class BlockedThreadWatch implements BeforeAllCallback, AfterAllCallback {

    private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";
    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    private static volatile boolean installed;
    /** Kept strongly: java.util.logging holds its loggers weakly. */
    private static final Logger CHECKER = Logger.getLogger(CHECKER_LOGGER);

    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        CHECKER.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder b = new StringBuilder(String.valueOf(record.getMessage()));
                if (record.getThrown() != null) {
                    for (StackTraceElement e : record.getThrown().getStackTrace()) {
                        b.append("\n    at ").append(e);
                    }
                }
                REPORTS.add(b.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        REPORTS.clear();
    }

    /**
     * Whether what was reported is blocking code rather than the scheduler. On a two-core machine
     * running recognizers in the same JVM, a runnable event loop thread can be kept off a core for
     * a few hundred milliseconds (seen: 328 ms inside a non-blocking socket write, one report),
     * and the whole JVM can stand still for longer (seen: one stall reported at 414 and 601 ms,
     * inside a JSON encoding). Blocking code shows otherwise: the checker, a thread of its own,
     * looks every {@link TightVertx#CHECK_INTERVAL_MS} and reports again each time it finds the
     * thread still stuck. So blocking is three reports or more, or two of one thread that the
     * checker made on time (at most two intervals apart) past twice the limit. Reports further
     * apart than that mean the checker itself was kept waiting: the JVM or the host stalled, not
     * the event loop's code.
     */
    static boolean blocking(List<String> reports) {
        if (reports.size() >= 3) {
            return true;
        }
        String thread = null; // the previous report's thread, and how long it had been blocked
        long before = 0;
        for (String r : reports) {
            java.util.regex.Matcher m = BLOCKED_FOR.matcher(r);
            if (!m.find()) {
                return true;
            }
            long ms = Long.parseLong(m.group(2));
            if (m.group(1).equals(thread) && ms - before <= 2 * TightVertx.CHECK_INTERVAL_MS
                    && ms >= 2 * TightVertx.MAX_EVENT_LOOP_MS) {
                return true;
            }
            thread = m.group(1);
            before = ms;
        }
        return false;
    }

    private static final java.util.regex.Pattern BLOCKED_FOR =
            java.util.regex.Pattern.compile("Thread (\\S+) has been blocked for (\\d+) ms");

    @Override
    public void afterAll(ExtensionContext context) {
        if (!REPORTS.isEmpty()) {
            List<String> found = List.copyOf(REPORTS);
            REPORTS.clear();
            String first = "an event loop was blocked during " + context.getDisplayName() + " (" + found.size()
                    + " reports); the first:\n" + found.getFirst();
            if (blocking(found)) {
                throw new AssertionError(first);
            }
            System.out.println("(a scheduling stall, not blocking code) " + first);
        }
    }
}
