package io.parley.speech.recognizer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Collects what a recognizer session reports, in order: its partials, finals and errors, and
 * the order they came in as {@code partial:N}, {@code final:N} and {@code error:CODE}.
 */
public final class RecordingListener implements RecognitionListener {

    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<Utterance> partials = new CopyOnWriteArrayList<>();
    public final List<Utterance> finals = new CopyOnWriteArrayList<>();
    public final List<RecognizerException> errors = new CopyOnWriteArrayList<>();
    public final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onPartial(Utterance partial) {
        partials.add(partial);
        events.add("partial:" + partial.index());
    }

    @Override
    public void onFinal(Utterance fin) {
        finals.add(fin);
        events.add("final:" + fin.index());
    }

    @Override
    public void onError(RecognizerException error) {
        errors.add(error);
        events.add("error:" + error.code());
    }

    @Override
    public void onEnd() {
        ended.countDown();
    }

    /** The finals' text, one after the other. */
    public String text() {
        return finals.stream().map(Utterance::text).collect(Collectors.joining(" "));
    }
}
