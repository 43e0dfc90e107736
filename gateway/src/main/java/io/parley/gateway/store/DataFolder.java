package io.parley.gateway.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The data folder, held by one gateway at a time: two processes writing one SQLite store would
 * each number captions on their own. Made readable by its owner only (it holds the token keys
 * and every transcript).
 */
public final class DataFolder implements AutoCloseable {

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataFolder(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static DataFolder open(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                try {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system's own permissions apply
                }
            }
            FileChannel ch = FileChannel.open(dir.resolve("parley.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new StoreException("another Parley is using the data folder " + dir
                        + "; give this one its own (--data DIR), or share a PostgreSQL store (--store postgresql://...)");
            }
            return new DataFolder(dir, ch, lock);
        } catch (IOException e) {
            throw new StoreException("cannot use the data folder " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path keys() {
        return dir.resolve("keys");
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
