package io.parley.gateway.config;

import java.util.List;

/**
 * Neural translation models (Marian/Bergamot) to load beside Apertium.
 *
 * @param models    model folders, or names of models in Parley's cache ({@code mt-enpt});
 *                  empty: none
 * @param explicit  whether the models were named on the command line: then a missing one stops
 *                  the start, where a default one that is not installed is only reported
 * @param beamSize  beam for every model; 0 keeps each model's own setting (greedy for Bergamot)
 */
public record NeuralMtConfig(List<String> models, boolean explicit, int beamSize) {

    /** What {@code ./parley run} installs: English ↔ Brazilian Portuguese. */
    public static final List<String> DEFAULT_MODELS = List.of("mt-enpt", "mt-pten");

    public NeuralMtConfig {
        models = List.copyOf(models);
        if (beamSize < 0 || beamSize > 16) {
            throw new IllegalArgumentException("the translation beam size must be 1 to 16 (or 0: the model's own), not "
                    + beamSize);
        }
    }

    public static NeuralMtConfig defaults() {
        return new NeuralMtConfig(DEFAULT_MODELS, false, 0);
    }

    /** Adds a model named on the command line; {@code none} loads no neural model. */
    public NeuralMtConfig withModel(String model) {
        List<String> base = explicit ? models : List.of();
        if (model.equals("none")) {
            return new NeuralMtConfig(List.of(), true, beamSize);
        }
        return new NeuralMtConfig(java.util.stream.Stream.concat(base.stream(), java.util.stream.Stream.of(model)).toList(),
                true, beamSize);
    }

    public NeuralMtConfig withBeamSize(int beam) {
        return new NeuralMtConfig(models, explicit, beam);
    }
}
