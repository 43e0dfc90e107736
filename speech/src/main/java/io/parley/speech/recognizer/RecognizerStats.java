package io.parley.speech.recognizer;

/**
 * Totals since start.
 *
 * @param audioSeconds   audio recognised
 * @param computeSeconds time the engine's threads spent recognising it
 * @param activeSessions sessions open now
 * @param backlogSeconds audio accepted by the open sessions and not yet recognised, summed
 */
public record RecognizerStats(double audioSeconds, double computeSeconds, int activeSessions, double backlogSeconds) {

    /** Compute time per second of audio; below 1 keeps up with live speech. */
    public double realTimeFactor() {
        return audioSeconds == 0 ? 0 : computeSeconds / audioSeconds;
    }
}
