package io.parley.gateway.files;

import io.parley.gateway.protocol.ErrorCodes;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.SpeechRecognizer;
import io.parley.speech.recognizer.Utterance;
import io.parley.translate.service.Glossary;
import io.parley.translate.service.TextTranslator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * A recorded file through the live recognizer, as fast as the recognizer goes: the decoder's
 * blocks are fed to one recognizer session and held back only while it has more than a few
 * seconds waiting (its own endpoints cut the file into utterances, and it spends no passes on
 * partials while audio is queued), then the finals are translated if asked. One code path for
 * Deepgram's and OpenAI's file APIs and {@code parley transcribe}, so that a file is transcribed
 * exactly as the same speech would be live.
 */
public final class FileTranscriber {

    /** Audio the recognizer may have queued before the decoder waits: enough to keep it busy, little to hold. */
    private static final double AHEAD_SECONDS = 4;

    /** What to do with a file. */
    public record Request(String language, SessionOptions.Task task, List<String> hints, List<String> translateTo) {
        public Request {
            hints = List.copyOf(hints);
            translateTo = List.copyOf(translateTo);
        }
    }

    private final SpeechRecognizer recognizer;
    private final TextTranslator translator;
    private final AudioFileDecoder decoder;
    private final FileJobs jobs;

    public FileTranscriber(SpeechRecognizer recognizer, TextTranslator translator, AudioFileDecoder decoder, FileJobs jobs) {
        this.recognizer = recognizer;
        this.translator = translator;
        this.decoder = decoder;
        this.jobs = jobs;
    }

    public AudioFileDecoder decoder() {
        return decoder;
    }

    /**
     * Transcribes {@code file}; blocks (run it off any event loop).
     *
     * @param progress seconds of audio recognised so far, as they pass
     * @throws MediaRefused for a file that cannot be taken, or a recognizer that fails or is full
     */
    public FileTranscript transcribe(Path file, Request request, DoubleConsumer progress)
            throws IOException, MediaRefused, InterruptedException {
        AudioFileDecoder.Probe probe = decoder.probe(file);
        try (FileJobs.Job job = jobs.start()) {
            probe.seconds().ifPresent(job::total);
            List<Utterance> finals = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch ended = new CountDownLatch(1);
            RecognizerException[] failure = new RecognizerException[1];
            RecognizerSession session;
            try {
                session = recognizer.open(new SessionOptions(request.language(), "file-" + UUID.randomUUID(), request.task(),
                        request::hints), new RecognitionListener() {
                    @Override
                    public void onPartial(Utterance partial) {
                    }

                    @Override
                    public void onFinal(Utterance fin) {
                        finals.add(fin);
                        job.progress(fin.end());
                        progress.accept(fin.end());
                    }

                    @Override
                    public void onError(RecognizerException error) {
                        failure[0] = error;
                    }

                    @Override
                    public void onEnd() {
                        ended.countDown();
                    }
                });
            } catch (RecognizerException e) {
                throw refused(e);
            }
            AudioFileDecoder.Decoded decoded;
            try {
                decoded = decoder.decode(file, block -> {
                    while (session.backlogSeconds() > AHEAD_SECONDS && ended.getCount() > 0) {
                        Thread.sleep(10);
                    }
                    if (ended.getCount() == 0) {
                        return; // the recognizer failed; its error is reported below
                    }
                    session.accept(block, 0, block.length);
                });
            } catch (MediaRefused | IOException | InterruptedException | RuntimeException e) {
                session.abort();
                throw e;
            }
            job.total(decoded.seconds());
            session.finish();
            // Bounded, so that a wedged recognizer cannot hold the request for ever.
            if (!ended.await((long) (decoded.seconds() * 3) + 120, TimeUnit.SECONDS)) {
                session.abort();
                throw new MediaRefused(ErrorCodes.ENGINE_FAILED, 500, "speech recognition did not finish this file in time");
            }
            if (failure[0] != null) {
                throw refused(failure[0]);
            }
            job.progress(decoded.seconds());
            FileTranscript transcript = new FileTranscript(finals, decoded.seconds(), decoded.kind(), Map.of());
            return request.translateTo().isEmpty() ? transcript : translate(transcript, request.translateTo());
        }
    }

    /** Each final into each language, from the language it was spoken in (finals already in it are kept). */
    private FileTranscript translate(FileTranscript t, List<String> targets) throws MediaRefused, InterruptedException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String target : targets) {
            List<String> texts = new ArrayList<>();
            for (Utterance u : t.finals()) {
                String from = u.language() == null ? t.language("en") : u.language();
                if (u.text().isBlank() || from.equals(target)) {
                    texts.add(u.text().strip());
                    continue;
                }
                try {
                    texts.add(translator.translate(from, target, u.text().strip(), Glossary.EMPTY)
                            .get(120, TimeUnit.SECONDS).text());
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    throw new MediaRefused(ErrorCodes.TRANSLATION_FAILED, cause instanceof IllegalArgumentException ? 400 : 500,
                            "translating into " + target + " failed: " + cause.getMessage());
                }
            }
            out.put(target, texts);
        }
        return t.withTranslations(out);
    }

    private static MediaRefused refused(RecognizerException e) {
        int status = switch (e.code()) {
            case ErrorCodes.UNSUPPORTED_LANGUAGE, ErrorCodes.UNSUPPORTED_TASK -> 400;
            case ErrorCodes.RECOGNIZER_BUSY, ErrorCodes.CAPACITY, ErrorCodes.ENGINE_UNAVAILABLE -> 503;
            default -> 500;
        };
        return new MediaRefused(e.code(), status, e.getMessage());
    }
}
