package io.parley.speech.recognizer;

/**
 * Totals since start.
 *
 * @param audioSeconds   audio recognised
 * @param computeSeconds time the engine's threads spent recognising it
 * @param activeSessions sessions open now
 * @param backlogSeconds audio accepted by the open sessions and not yet recognised, summed
 * @param partialsShed   partial results skipped because a stream was behind its audio
 * @param streamsRefused streams refused because the engine could not keep one more in real time
 */
public record RecognizerStats(double audioSeconds, double computeSeconds, int activeSessions, double backlogSeconds,
                              long partialsShed, long streamsRefused) {

    /** For engines that neither shed partials nor refuse streams by load. */
    public RecognizerStats(double audioSeconds, double computeSeconds, int activeSessions, double backlogSeconds) {
        this(audioSeconds, computeSeconds, activeSessions, backlogSeconds, 0, 0);
    }

    /** Compute time per second of audio; below 1 keeps up with live speech. */
    public double realTimeFactor() {
        return audioSeconds == 0 ? 0 : computeSeconds / audioSeconds;
    }
}
