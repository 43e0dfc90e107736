package io.parley.speech.whisper.stream;

import java.util.List;

/**
 * Settles the words on which two successive decodings of the growing window agree (local
 * agreement of order two, as in Macháček et al., "Turning Whisper into Real-Time Transcription
 * System", 2023). A word is shown as stable one pass after it is first heard, whatever the
 * decoder's attention did.
 */
final class LocalAgreement extends SettlingPolicy {

    @Override
    int settles(List<TimedWord> fresh, List<TimedWord> pending, double audioEnd) {
        int i = 0;
        while (i < fresh.size() && i < pending.size() && fresh.get(i).key().equals(pending.get(i).key())) {
            i++;
        }
        return i;
    }
}
