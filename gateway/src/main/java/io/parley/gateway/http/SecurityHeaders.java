package io.parley.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers that keep the pages the gateway serves (the demo pages, widget.js) from being
 * turned against their users: mounted first, so that every response carries them.
 *
 * <p>The Content-Security-Policy lets a page run only the gateway's own scripts and styles: no
 * inline script, no event-handler attribute, no {@code <style>} element, no {@code eval}, so
 * that text which reached the DOM where it should not (a caption, a room id from a link) cannot
 * run. The widget works within it: its CSS is a constructed stylesheet, its PCM worklet a file
 * of this origin, its sockets and WHIP requests go to this origin. {@code blob:} is allowed for
 * media and workers only, {@code data:} for images (the pages' empty favicon). Pages may be
 * framed anywhere ({@code frame-ancestors *}): embedding captions is the point of embed.html.
 * The API ({@code /v1/*}) answers JSON, SDP, captions and transcripts, no documents, and is
 * called from other origins' pages; it gets no policy, only the two headers below.
 *
 * <p>{@code nosniff} stops a browser from running a transcript or an error body as a script or
 * a page; {@code no-referrer} keeps the room and tokens that the demo pages carry in their URLs
 * out of the Referer header of links they open.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors *");

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Referrer-Policy", "no-referrer");
        // The path as the router matched it (dot segments resolved), so that no detour such as
        // /v1/../index.html reaches a page without the policy.
        String path = ctx.normalizedPath();
        if (path == null || !path.startsWith("/v1/")) {
            response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        // The widget and its worklet are loaded by pages of every origin (a worklet with CORS).
        if ("/widget.js".equals(path) || "/widget-pcm16.worklet.js".equals(path)) {
            response.putHeader("Access-Control-Allow-Origin", "*");
        }
        ctx.next();
    }
}
