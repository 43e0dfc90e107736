package io.parley.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;

import java.nio.file.Path;

/**
 * A request body that is a file (Deepgram's {@code POST /v1/listen} takes the audio as the body),
 * written to a temporary file as it arrives rather than held in memory, and refused once it
 * passes the upload limit (by its Content-Length before a byte is read, else as it grows).
 */
final class RawUpload {

    /** The body was larger than the limit. */
    static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("too large", null, false, false);
        }
    }

    private RawUpload() {
    }

    /** The request must still be unread; the returned path is the caller's to delete. */
    static Future<Path> toFile(Vertx vertx, HttpServerRequest req, Path dir, long maxBytes) {
        String declared = req.getHeader("Content-Length");
        if (declared != null) {
            try {
                if (Long.parseLong(declared.strip()) > maxBytes) {
                    return Future.failedFuture(new TooLarge());
                }
            } catch (NumberFormatException ignored) {
                // counted below
            }
        }
        req.pause();
        Promise<Path> done = Promise.promise();
        vertx.fileSystem().mkdirs(dir.toString())
                .compose(v -> vertx.fileSystem().createTempFile(dir.toString(), "upload-", ".bin", (String) null))
                .compose(path -> vertx.fileSystem().open(path, new OpenOptions().setWrite(true).setTruncateExisting(true))
                        .map(file -> {
                            stream(vertx, req, file, Path.of(path), maxBytes, done);
                            return null;
                        }))
                .onFailure(done::tryFail);
        return done.future();
    }

    private static void stream(Vertx vertx, HttpServerRequest req, AsyncFile file, Path path, long maxBytes, Promise<Path> done) {
        long[] count = {0};
        req.handler(chunk -> {
            count[0] += chunk.length();
            if (count[0] > maxBytes) {
                req.handler(null);
                file.close();
                vertx.fileSystem().delete(path.toString());
                done.tryFail(new TooLarge());
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                req.pause();
                file.drainHandler(v -> req.resume());
            }
        });
        req.endHandler(v -> file.close().onComplete(ar -> {
            if (ar.succeeded()) {
                done.tryComplete(path);
            } else {
                done.tryFail(ar.cause());
            }
        }));
        req.exceptionHandler(e -> {
            file.close();
            vertx.fileSystem().delete(path.toString());
            done.tryFail(e);
        });
        req.resume();
    }
}
