package io.parley.gateway.files;

import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.ErrorCodes;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The recorded files being transcribed in this server, for admission (a few at a time, a short
 * line behind them, {@code capacity_reached} beyond it) and for {@code /metrics}: how many are
 * running and waiting, and how far the running ones have got in seconds of audio.
 */
public final class FileJobs {

    /** One file under way: the decoder reports its progress here. */
    public static final class Job implements AutoCloseable {
        private final FileJobs owner;
        private volatile double total;
        private volatile double done;

        private Job(FileJobs owner) {
            this.owner = owner;
        }

        /** The file's length, when known. */
        public void total(double seconds) {
            total = seconds;
        }

        public void progress(double secondsDone) {
            owner.recognised.add(Math.max(0, secondsDone - done));
            done = secondsDone;
        }

        public double done() {
            return done;
        }

        public double total() {
            return total;
        }

        @Override
        public void close() {
            if (owner.running.remove(this)) {
                owner.slots.release();
            }
        }
    }

    private final Semaphore slots;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Set<Job> running = ConcurrentHashMap.newKeySet();
    private final DoubleAdder recognised = new DoubleAdder();

    public FileJobs(int maxConcurrent) {
        this.slots = new Semaphore(maxConcurrent, true);
        this.maxWaiting = maxConcurrent * 4;
    }

    /** Waits for a slot (on the caller's thread, which must be allowed to block). */
    public Job start() throws MediaRefused, InterruptedException {
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            throw new MediaRefused(ErrorCodes.CAPACITY, 503, "this server is transcribing as many files as it queues;"
                    + " try again later");
        }
        try {
            slots.acquire();
        } finally {
            waiting.decrementAndGet();
        }
        Job job = new Job(this);
        running.add(job);
        return job;
    }

    public void register(GatewayMetrics metrics) {
        metrics.gauge("parley_file_jobs_running", "Recorded files being transcribed now.", running::size);
        metrics.gauge("parley_file_jobs_waiting", "Recorded files waiting for a turn.", waiting::get);
        metrics.gauge("parley_file_jobs_done_seconds", "Audio of the running files transcribed so far, in seconds.",
                () -> running.stream().mapToDouble(Job::done).sum());
        metrics.gauge("parley_file_jobs_total_seconds", "Length of the running files, in seconds (where known).",
                () -> running.stream().mapToDouble(Job::total).sum());
        metrics.gauge("parley_file_audio_seconds", "Audio of recorded files transcribed since start, in seconds.",
                recognised::sum);
    }
}
