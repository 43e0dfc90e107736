package io.parley.speech.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.endpoint.SpeechEndSignal;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import edu.cmu.sphinx.util.props.S4String;

/**
 * Live cepstral mean normalisation for a decoder that is reused from stream to stream, in
 * place of Sphinx4's {@code LiveCMN}.
 *
 * <p>Sphinx4's version buffers the first 200 frames before it lets any through (the first
 * utterance of a fresh decoder is held back two seconds), and if a stream ends before it has
 * seen a single frame of speech it is left holding end-of-stream markers that it then hands to
 * the next stream, which ends at once: a decoder whose first stream was silent never decodes
 * again. This one starts from the model's own initial mean ({@code -cmninit} in its
 * {@code feat.params}), as PocketSphinx does, subtracts the running mean from every frame as it
 * passes, and keeps no frames back.
 *
 * <p>The mean is a sum over a sliding window: frames with non-negative energy (c0 &ge; 0, i.e.
 * not silence) are added; when more than {@link #SHIFT} have been added the sum is scaled down
 * to {@link #WINDOW} frames' worth, so older speech fades out. The mean is refreshed then and
 * at the end of every utterance.
 */
public final class RunningCepstralMean extends BaseDataProcessor {

    @S4String(defaultValue = "")
    public static final String PROP_INITIAL_MEAN = "initialMean";

    /** Frames of weight the mean keeps, the initial mean included. */
    static final int WINDOW = 500;
    /** Frames after which the sum is scaled back to {@link #WINDOW}. */
    static final int SHIFT = 800;

    private double[] mean;
    private double[] sum;
    private int frames;

    public RunningCepstralMean() {
    }

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        String initial = ps.getString(PROP_INITIAL_MEAN);
        if (initial == null || initial.isBlank()) {
            throw new PropertyException(ps.getInstanceName(), PROP_INITIAL_MEAN,
                    "the initial cepstral mean (the model's -cmninit) is required");
        }
        String[] parts = initial.split(",");
        mean = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            mean[i] = Double.parseDouble(parts[i].trim());
        }
        sum = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            sum[i] = mean[i] * WINDOW;
        }
        frames = WINDOW;
    }

    @Override
    public Data getData() throws DataProcessingException {
        Data data = getPredecessor().getData();
        if (data instanceof DoubleData d) {
            normalize(d.getValues());
        } else if (data instanceof SpeechEndSignal) {
            refreshMean();
        }
        return data;
    }

    private void normalize(double[] cepstrum) {
        if (cepstrum.length != mean.length) {
            throw new DataProcessingException("cepstra of " + cepstrum.length + " coefficients, but an initial mean of "
                    + mean.length);
        }
        if (cepstrum[0] >= 0) {
            for (int i = 0; i < cepstrum.length; i++) {
                sum[i] += cepstrum[i];
            }
            frames++;
        }
        for (int i = 0; i < cepstrum.length; i++) {
            cepstrum[i] -= mean[i];
        }
        if (frames > SHIFT) {
            refreshMean();
            double scale = (double) WINDOW / frames;
            for (int i = 0; i < sum.length; i++) {
                sum[i] *= scale;
            }
            frames = WINDOW;
        }
    }

    private void refreshMean() {
        for (int i = 0; i < mean.length; i++) {
            mean[i] = sum[i] / frames;
        }
    }

    /** The current mean, for tests. */
    double[] currentMean() {
        return mean.clone();
    }
}
