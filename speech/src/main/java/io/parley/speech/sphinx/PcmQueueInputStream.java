package io.parley.speech.sphinx;

import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bridge between a push source (audio arriving from the network) and Sphinx4's pull
 * front end: s16le bytes are queued by {@link #offer} and read, blocking, by the decoder's
 * thread. {@link #close()} (end of stream) lets the reader drain what is queued and then see
 * end of file; {@link #abort()} ends it at once.
 */
final class PcmQueueInputStream extends InputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private long queuedBytes;
    private long consumedBytes;
    private boolean closed;
    private boolean aborted;

    /** Queues bytes for the reader. Returns false if the stream was closed. */
    boolean offer(byte[] bytes) {
        lock.lock();
        try {
            if (closed || aborted) {
                return false;
            }
            chunks.add(bytes);
            queuedBytes += bytes.length;
            available.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    long consumedBytes() {
        lock.lock();
        try {
            return consumedBytes;
        } finally {
            lock.unlock();
        }
    }

    void abort() {
        lock.lock();
        try {
            aborted = true;
            chunks.clear();
            queuedBytes = 0;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws InterruptedIOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws InterruptedIOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (chunks.isEmpty() && !closed && !aborted) {
                available.await();
            }
            if (aborted || chunks.isEmpty()) {
                return -1;
            }
            int copied = 0;
            while (copied < len && !chunks.isEmpty()) {
                byte[] head = chunks.peekFirst();
                int n = Math.min(len - copied, head.length - headOffset);
                System.arraycopy(head, headOffset, b, off + copied, n);
                copied += n;
                headOffset += n;
                if (headOffset == head.length) {
                    chunks.removeFirst();
                    headOffset = 0;
                }
            }
            queuedBytes -= copied;
            consumedBytes += copied;
            return copied;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for audio");
        } finally {
            lock.unlock();
        }
    }
}
