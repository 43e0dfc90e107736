package io.parley.translate.apertium;

import io.parley.translate.api.LanguagePair;
import io.parley.translate.api.Translation;
import io.parley.translate.api.TranslationException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One translation direction as one long-lived chain of Apertium processes in null-flush mode:
 * each request is written followed by NUL, and every stage answers it, followed by NUL,
 * without waiting for end of input. Requests are written as they come and answered in order,
 * so several can be in the pipeline's stages at once.
 *
 * <p>If the process dies or stops answering, it is restarted and the requests it held are sent
 * again, once; a request that fails twice is failed with {@code translation_failed}, so that
 * one poisonous input cannot keep a direction restarting.
 */
final class ApertiumPipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ApertiumPipeline.class.getName());
    private static final int MAX_ATTEMPTS = 2;

    private final LanguagePair pair;
    private final Path modeFile;
    private final ApertiumConfig config;
    /** Serialises writes, so that requests enter the process in the order they are queued. */
    private final Object writeLock = new Object();
    /** Guards the process and the queue; never held while blocking on the process. */
    private final Object lock = new Object();
    private String script;

    // Guarded by lock.
    private Process process;
    private OutputStream stdin;
    private int generation;
    private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
    private boolean closed;
    private int restarts;

    private static final class Request {
        final String escaped;
        final CompletableFuture<Translation> result = new CompletableFuture<>();
        int attempts;
        long sentAtNanos;

        Request(String escaped) {
            this.escaped = escaped;
        }
    }

    ApertiumPipeline(LanguagePair pair, Path modeFile, ApertiumConfig config) {
        this.pair = pair;
        this.modeFile = modeFile;
        this.config = config;
    }

    LanguagePair pair() {
        return pair;
    }

    /** Starts the processes now rather than at the first request. */
    void start() {
        synchronized (lock) {
            ensureRunning();
        }
    }

    /** Restarts since the pipeline was created: a health signal. */
    int restarts() {
        synchronized (lock) {
            return restarts;
        }
    }

    /** Requests written and not yet answered. */
    int pending() {
        synchronized (lock) {
            return inFlight.size();
        }
    }

    CompletableFuture<Translation> submit(String text) {
        if (text.isBlank()) {
            return CompletableFuture.completedFuture(new Translation("", List.of()));
        }
        Request request = new Request(ApertiumStreamFormat.escape(text));
        synchronized (lock) {
            if (inFlight.size() >= config.maxPending()) {
                request.result.completeExceptionally(new TranslationException("translation_overloaded",
                        inFlight.size() + " texts are already waiting for " + pair + "; try again shortly"));
                return request.result;
            }
        }
        send(request);
        return request.result;
    }

    /** Kills the process if its oldest request has waited too long; called periodically. */
    void checkTimeout() {
        synchronized (lock) {
            Request oldest = inFlight.peekFirst();
            if (oldest != null && process != null
                    && System.nanoTime() - oldest.sentAtNanos > config.requestTimeout().toNanos()) {
                LOG.warning(() -> "Apertium " + pair + " gave no answer in " + config.requestTimeout().toSeconds()
                        + " s; restarting it");
                process.destroyForcibly();
            }
        }
    }

    private void send(Request request) {
        byte[] bytes = request.escaped.getBytes(StandardCharsets.UTF_8);
        synchronized (writeLock) {
            Process p;
            OutputStream in;
            synchronized (lock) {
                if (closed) {
                    request.result.completeExceptionally(new TranslationException("engine_unavailable",
                            "the " + pair + " translator is shut down"));
                    return;
                }
                try {
                    ensureRunning();
                } catch (TranslationException e) {
                    request.result.completeExceptionally(e);
                    return;
                }
                request.attempts++;
                request.sentAtNanos = System.nanoTime();
                inFlight.addLast(request);
                p = process;
                in = stdin;
            }
            try {
                in.write(bytes);
                in.write(0);
                in.flush();
            } catch (IOException e) {
                // The reader sees the process end and resends what it held, this request included.
                LOG.log(Level.FINE, "write to Apertium " + pair + " failed", e);
                p.destroyForcibly();
            }
        }
    }

    // Called with lock held.
    private void ensureRunning() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            if (script == null) {
                script = nullFlushScript(modeFile);
            }
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "apertium-" + pair, "-g", "");
            pb.environment().put("LC_ALL", "C.UTF-8");
            process = pb.start();
        } catch (IOException e) {
            throw new TranslationException("engine_unavailable",
                    "cannot start Apertium for " + pair + ": " + e.getMessage(), e);
        }
        stdin = process.getOutputStream();
        int gen = ++generation;
        Process p = process;
        Thread.ofPlatform().daemon().name("apertium-" + pair + "-out-" + gen).start(() -> readAnswers(p, gen));
        Thread.ofPlatform().daemon().name("apertium-" + pair + "-err-" + gen).start(() -> drainErrors(p));
    }

    /** The mode's pipeline with every stage in null-flush mode, as Apertium's own tool writes it. */
    private static String nullFlushScript(Path modeFile) throws IOException {
        Process p = new ProcessBuilder("apertium-wblank-mode", "-z", modeFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                throw new IOException("apertium-wblank-mode failed on " + modeFile + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }

    private void readAnswers(Process p, int gen) {
        InputStream out = p.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = out.read()) >= 0) {
                if (b != 0) {
                    answer.write(b);
                    continue;
                }
                String text = answer.toString(StandardCharsets.UTF_8);
                answer.reset();
                Request done;
                synchronized (lock) {
                    done = gen == generation ? inFlight.pollFirst() : null;
                }
                if (done != null) {
                    done.result.complete(ApertiumStreamFormat.parse(text));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "Apertium " + pair + " output closed", e);
        }
        processEnded(p, gen);
    }

    private void processEnded(Process p, int gen) {
        List<Request> resend;
        boolean shutDown;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            p.destroyForcibly();
            process = null;
            resend = List.copyOf(inFlight);
            inFlight.clear();
            shutDown = closed;
            if (!shutDown && !resend.isEmpty()) {
                restarts++;
            }
        }
        if (resend.isEmpty()) {
            return; // an idle process ended; the next request starts a new one
        }
        if (!shutDown) {
            LOG.warning(() -> "Apertium " + pair + " ended with " + resend.size() + " text(s) unanswered; restarting it");
        }
        for (Request r : resend) {
            if (shutDown) {
                r.result.completeExceptionally(new TranslationException("engine_unavailable",
                        "the " + pair + " translator is shut down"));
            } else if (r.attempts >= MAX_ATTEMPTS) {
                r.result.completeExceptionally(new TranslationException("translation_failed",
                        "Apertium " + pair + " failed twice on this text"));
            } else {
                send(r);
            }
        }
    }

    private void drainErrors(Process p) {
        try (InputStream err = p.getErrorStream()) {
            byte[] all = err.readAllBytes();
            if (all.length > 0) {
                LOG.fine(() -> "Apertium " + pair + " stderr: " + new String(all, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** Kills the current process, as a crash would; for tests of recovery. */
    void killForTest() {
        synchronized (lock) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public void close() {
        Process p;
        synchronized (lock) {
            closed = true;
            p = process;
        }
        if (p != null) {
            try {
                p.getOutputStream().close();
            } catch (IOException ignored) {
                // closing anyway
            }
            p.destroy();
        }
    }
}
