package io.parley.gateway.metrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * The gateway's counters and gauges, rendered in the Prometheus text exposition format
 * (version 0.0.4). Counters are incremented where things happen; gauges are read when
 * {@code /metrics} is scraped.
 */
public final class GatewayMetrics {

    private final AtomicLong partialsSent = new AtomicLong();
    private final AtomicLong finalsSent = new AtomicLong();
    private final AtomicLong partialsSkipped = new AtomicLong();
    private final AtomicLong slowViewersDisconnected = new AtomicLong();
    private final AtomicLong translations = new AtomicLong();
    private final AtomicLong translationFailures = new AtomicLong();
    private final AtomicLong audioFramesAccepted = new AtomicLong();
    private final AtomicLong storeErrors = new AtomicLong();
    private final AtomicLong recognizerRestarts = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new LinkedHashMap<>();

    private final Map<String, Counter> counters = new LinkedHashMap<>();

    /** A gauge's series, by their labels ("" for none). */
    private record Gauge(String help, Map<String, DoubleSupplier> series) {
    }

    private record Counter(String help, AtomicLong value) {
    }

    /** A counter of a part that only some gateways have (the fleet's), made on first use. */
    public synchronized AtomicLong counter(String name, String help) {
        return counters.computeIfAbsent(name, n -> new Counter(help, new AtomicLong())).value();
    }

    /** Registers a gauge read at every scrape. */
    public synchronized void gauge(String name, String help, DoubleSupplier value) {
        gauges.put(name, new Gauge(help, Map.of("", value)));
    }

    /** Registers a gauge of several series, by their labels ({@code kind="final"}), read at every scrape. */
    public synchronized void gauge(String name, String help, Map<String, DoubleSupplier> series) {
        gauges.put(name, new Gauge(help, new LinkedHashMap<>(series)));
    }

    public void captionSent(boolean isFinal) {
        (isFinal ? finalsSent : partialsSent).incrementAndGet();
    }

    public void partialSkipped() {
        partialsSkipped.incrementAndGet();
    }

    public void slowViewerDisconnected() {
        slowViewersDisconnected.incrementAndGet();
    }

    public void translated() {
        translations.incrementAndGet();
    }

    public void translationFailed() {
        translationFailures.incrementAndGet();
    }

    /** A speaker's recognizer failed and was restarted on the audio since its last final. */
    public void recognizerRestarted() {
        recognizerRestarts.incrementAndGet();
    }

    public long recognizerRestarts() {
        return recognizerRestarts.get();
    }

    /** A store operation failed (it is retried; finals are never dropped for it). */
    public void storeError() {
        storeErrors.incrementAndGet();
    }

    public void audioFrameAccepted() {
        audioFramesAccepted.incrementAndGet();
    }

    /** Counts an error sent to a client, by its stable code. */
    public void error(String code) {
        errors.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
    }

    public long finalsSent() {
        return finalsSent.get();
    }

    /** Finals translated so far, one per target language. */
    public long translations() {
        return translations.get();
    }

    public String render() {
        StringBuilder out = new StringBuilder(2048);
        counter(out, "parley_captions_sent_total", "Captions written to viewer and speaker sockets.",
                Map.of("type=\"partial\"", partialsSent.get(), "type=\"final\"", finalsSent.get()));
        counter(out, "parley_partials_skipped_total", "Partials not sent to a viewer that was behind.",
                Map.of("", partialsSkipped.get()));
        counter(out, "parley_slow_viewers_disconnected_total", "Viewers disconnected for not reading their captions.",
                Map.of("", slowViewersDisconnected.get()));
        counter(out, "parley_translations_total", "Finals translated, one per target language.",
                Map.of("", translations.get()));
        counter(out, "parley_translation_failures_total", "Finals delivered untranslated because translation failed.",
                Map.of("", translationFailures.get()));
        counter(out, "parley_audio_frames_total", "Audio frames accepted from speakers.",
                Map.of("", audioFramesAccepted.get()));
        counter(out, "parley_recognizer_restarts_total", "Recognizer sessions restarted after a failure (their audio decoded again).",
                Map.of("", recognizerRestarts.get()));
        counter(out, "parley_store_errors_total", "Store operations that failed (finals are retried, never dropped).",
                Map.of("", storeErrors.get()));
        Map<String, Long> byCode = new LinkedHashMap<>();
        errors.forEach((code, n) -> byCode.put("code=\"" + code + "\"", n.get()));
        counter(out, "parley_client_errors_total", "Errors returned to clients, by code.", byCode);
        synchronized (this) {
            counters.forEach((name, c) -> counter(out, name, c.help(), Map.of("", c.value().get())));
            gauges.forEach((name, g) -> {
                Map<String, String> values = new LinkedHashMap<>();
                g.series().forEach((labels, value) -> values.put(labels, format(value.getAsDouble())));
                family(out, name, "gauge", g.help(), values);
            });
        }
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, Long> series) {
        Map<String, String> values = new LinkedHashMap<>();
        series.forEach((labels, v) -> values.put(labels, Long.toString(v)));
        family(out, name, "counter", help, values);
    }

    /** One metric: its help, its type, and each series under its labels ("" for none) with its value, written out. */
    private static void family(StringBuilder out, String name, String type, String help, Map<String, String> series) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        series.forEach((labels, v) -> {
            out.append(name);
            if (!labels.isEmpty()) {
                out.append('{').append(labels).append('}');
            }
            out.append(' ').append(v).append('\n');
        });
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }
}
