package io.parley.gateway.metrics;

import io.parley.speech.whisper.stream.PassStats;
import io.parley.speech.whisper.stream.WhisperRecognizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The gauges of a gateway whose recognizer is Whisper's live one: how busy its shared model is, and on what. */
public final class WhisperGauges {

    private WhisperGauges() {
    }

    public static void register(GatewayMetrics metrics, WhisperRecognizer whisper) {
        metrics.gauge("parley_recognizer_model_utilisation",
                "Busy fraction of the thread that runs Whisper for every stream, over the last 3 s.",
                () -> whisper.modelUtilisation()[0]);
        metrics.gauge("parley_recognizer_final_utilisation",
                "The part of the model's time spent on final passes, over the last 15 s (what admission weighs).",
                () -> whisper.modelUtilisation()[1]);
        // Where the model's time goes: a speculative final that speech resumed after is wasted
        // work, a shed partial is work given up while it waited.
        Map<String, DoubleSupplier> passes = new LinkedHashMap<>();
        Map<String, DoubleSupplier> seconds = new LinkedHashMap<>();
        for (PassStats.Kind kind : PassStats.Kind.values()) {
            String label = "kind=\"" + kind.label() + "\"";
            passes.put(label, () -> whisper.passStats().count(kind));
            seconds.put(label, () -> whisper.passStats().seconds(kind));
        }
        metrics.gauge("parley_recognizer_passes_total",
                "Whisper's passes over live streams' windows, by kind (partial, final, speculative_wasted, partial_shed).",
                passes);
        metrics.gauge("parley_recognizer_pass_seconds_total",
                "Wall time of those passes, waiting for the shared model included, by kind.", seconds);
        Map<String, DoubleSupplier> phases = new LinkedHashMap<>();
        for (PassStats.Kind kind : PassStats.Kind.values()) {
            for (PassStats.Phase phase : PassStats.Phase.values()) {
                phases.put("kind=\"" + kind.label() + "\",phase=\"" + phase.label() + "\"",
                        () -> whisper.passStats().seconds(kind, phase));
            }
        }
        metrics.gauge("parley_recognizer_pass_phase_seconds_total",
                "The same wall time by phase: features (log-mel), encode, decode (temperature fallback included),"
                        + " align (word timings), english (a final's speech translated by the model).", phases);
    }
}
