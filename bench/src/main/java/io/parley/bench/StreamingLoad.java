package io.parley.bench;

import io.parley.kernels.accel.Accelerator;
import io.parley.speech.audio.WavFile;
import io.parley.speech.eval.EvaluationSet;
import io.parley.speech.eval.WordErrorRate;
import io.parley.speech.recognizer.RecognitionListener;
import io.parley.speech.recognizer.RecognizerException;
import io.parley.speech.recognizer.RecognizerSession;
import io.parley.speech.recognizer.RecognizerStats;
import io.parley.speech.recognizer.SessionOptions;
import io.parley.speech.recognizer.Utterance;
import io.parley.speech.whisper.stream.StreamingConfig;
import io.parley.speech.whisper.stream.WhisperRecognizer;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * N live streams on one loaded model: each speaks the same clips (a second of silence after
 * each) at real-time pace, the streams' starts staggered so that their utterances do not line
 * up by construction. Measures the recognizer's real-time factor per stream (its compute
 * seconds, the model's batched passes shared out among the streams in them, per second of
 * audio), the process's CPU, resident memory, the latency from each final's last word to the
 * final, and how many steps ran together.
 */
final class StreamingLoad {

    static final int RATE = 16_000;

    private StreamingLoad() {
    }

    static JsonObject run(Accelerator acc, StreamingConfig config, int streams, List<EvaluationSet.Clip> clips)
            throws Exception {
        BenchOutput.progress(streams + " concurrent stream(s) on " + acc.name() + ": loading");
        long rssBefore = rssBytes();
        try (WhisperRecognizer recognizer = WhisperRecognizer.load(config.withMaxSessions(Math.max(streams, 1)), acc)) {
            long rssLoaded = rssBytes();
            List<float[]> audio = new ArrayList<>();
            for (EvaluationSet.Clip c : clips) {
                audio.add(WavFile.read(c.wav()).monoSamples());
            }
            BenchOutput.progress(streams + " concurrent stream(s) on " + acc.name() + ": streaming");
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            List<String> errors = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger finals = new AtomicInteger();
            List<StringBuilder> texts = new ArrayList<>();
            CountDownLatch ended = new CountDownLatch(streams);
            long cpu0 = processCpuNanos();
            RecognizerStats before = recognizer.stats();
            long wall0 = System.nanoTime();
            List<Thread> speakers = new ArrayList<>();
            long peakRss = rssLoaded;
            for (int s = 0; s < streams; s++) {
                long start = wall0 + (long) (s * 0.37e9);
                StringBuilder text = new StringBuilder();
                texts.add(text);
                RecognizerSession session = recognizer.open(new SessionOptions("en", "load-" + s), new RecognitionListener() {
                    @Override
                    public void onPartial(Utterance u) {
                    }

                    @Override
                    public void onFinal(Utterance u) {
                        latencies.add((System.nanoTime() - (start + (long) (u.end() * 1e9))) / 1e9);
                        finals.incrementAndGet();
                        synchronized (text) {
                            text.append(' ').append(u.text());
                        }
                    }

                    @Override
                    public void onError(RecognizerException e) {
                        errors.add(e.code());
                    }

                    @Override
                    public void onEnd() {
                        ended.countDown();
                    }
                });
                Thread t = Thread.ofPlatform().name("speaker-" + s).start(() -> speak(session, audio, start));
                speakers.add(t);
            }
            while (ended.getCount() > 0) {
                peakRss = Math.max(peakRss, rssBytes());
                ended.await(500, TimeUnit.MILLISECONDS);
            }
            for (Thread t : speakers) {
                t.join();
            }
            double wall = (System.nanoTime() - wall0) / 1e9;
            RecognizerStats after = recognizer.stats();
            double audioSeconds = after.audioSeconds() - before.audioSeconds();
            double compute = after.computeSeconds() - before.computeSeconds();
            double cpu = (processCpuNanos() - cpu0) / 1e9;
            WordErrorRate wer = WordErrorRate.zero();
            String reference = String.join(" ", clips.stream().map(EvaluationSet.Clip::reference).toList());
            for (StringBuilder t : texts) {
                wer = wer.plus(WordErrorRate.of(reference, t.toString()));
            }
            double[] batching = recognizer.batching();
            io.parley.speech.whisper.stream.PassStats ps = recognizer.passStats();
            JsonObject passes = new JsonObject();
            for (var kind : io.parley.speech.whisper.stream.PassStats.Kind.values()) {
                passes.put(kind.label(), new JsonObject().put("count", ps.count(kind))
                        .put("seconds", Percentiles.round(ps.seconds(kind), 2)));
            }
            return new JsonObject().put("streams", streams).put("backend", acc.name())
                    .put("audioSecondsPerStream", Percentiles.round(audioSeconds / streams, 2))
                    .put("wallSeconds", Percentiles.round(wall, 2))
                    .put("rtfPerStream", Percentiles.round(compute / audioSeconds, 3))
                    .put("processCpuSecondsPerAudioSecond", Percentiles.round(cpu / audioSeconds, 3))
                    .put("cores", Runtime.getRuntime().availableProcessors())
                    .put("finals", finals.get())
                    .put("lastWordToFinalSeconds", new JsonObject()
                            .put("p50", Percentiles.round(Percentiles.of(latencies, 50), 3))
                            .put("p95", Percentiles.round(Percentiles.of(latencies, 95), 3)))
                    .put("wer", Percentiles.round(wer.rate(), 4))
                    .put("errors", new io.vertx.core.json.JsonArray(List.copyOf(errors)))
                    .put("passes", passes)
                    .put("meanStepBatch", Percentiles.round(batching[0], 2))
                    .put("meanEncodeBatch", Percentiles.round(batching[1], 2))
                    .put("rssMiB", new JsonObject().put("beforeLoad", mib(rssBefore))
                            .put("modelLoaded", mib(rssLoaded)).put("peak", mib(peakRss))
                            .put("perStream", Percentiles.round((peakRss - rssLoaded) / 1048576.0 / streams, 1)));
        }
    }

    private static void speak(RecognizerSession session, List<float[]> audio, long start) {
        float[] silence = new float[RATE];
        long sent = 0;
        try {
            for (float[] clip : audio) {
                for (float[] part : new float[][]{clip, silence}) {
                    for (int i = 0; i < part.length; i += RATE / 10) {
                        int n = Math.min(RATE / 10, part.length - i);
                        long due = start + sent * 1_000_000_000L / RATE;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        session.accept(part, i, n);
                        sent += n;
                    }
                }
            }
            session.finish();
        } catch (RuntimeException e) {
            // Refused audio (an overloaded recognizer): counted, and the stream ends there.
            try {
                session.finish();
            } catch (RuntimeException ignored) {
                // already ended
            }
        }
    }

    private static double mib(long bytes) {
        return Percentiles.round(bytes / 1048576.0, 1);
    }

    static long rssBytes() {
        double rss = io.parley.gateway.metrics.ProcessGauges.residentBytes();
        return Double.isNaN(rss) ? 0 : (long) rss;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
