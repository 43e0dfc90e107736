package io.parley.gateway.http;

import io.parley.gateway.files.MediaRefused;
import io.parley.gateway.protocol.ErrorCodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Audio fetched from the address a Deepgram client names ({@code {"url": "https://..."}}), where
 * the operator has allowed it: http(s) only, a bounded time, and no more bytes than an upload
 * may have, written to a temporary file as they arrive.
 */
final class UrlSource {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(5);

    private UrlSource() {
    }

    /** Fetches {@code url} into a new file in {@code dir} (the caller deletes it); blocks. */
    static Path fetch(String url, Path dir, long maxBytes) throws MediaRefused, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new MediaRefused(ErrorCodes.INVALID_REQUEST, 400, "\"url\" is not an address: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new MediaRefused(ErrorCodes.INVALID_REQUEST, 400, "\"url\" must be an http or https address");
        }
        Path file = null;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "url-", ".bin");
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(file)) {
                if (r.statusCode() / 100 != 2) {
                    throw new MediaRefused(ErrorCodes.INVALID_REQUEST, 400, "fetching \"url\" was answered "
                            + r.statusCode());
                }
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > maxBytes) {
                        throw new MediaRefused(ErrorCodes.UPLOAD_TOO_LARGE, 413, "the audio at \"url\" is larger than"
                                + " this server takes (" + maxBytes / (1024 * 1024) + " MiB)");
                    }
                    out.write(buf, 0, n);
                }
            }
            Path done = file;
            file = null;
            return done;
        } catch (IOException e) {
            throw new MediaRefused(ErrorCodes.INVALID_REQUEST, 400, "\"url\" could not be fetched: " + e.getMessage());
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // swept at the next start
                }
            }
        }
    }
}
