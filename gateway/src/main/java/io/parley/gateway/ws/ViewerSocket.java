package io.parley.gateway.ws;

import io.parley.gateway.config.Limits;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.parley.gateway.room.RoomRefusal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A viewer's socket. It never blocks the room: it counts the bytes written but not yet taken
 * by the network, skips partials once that backlog passes the soft limit, and disconnects the
 * viewer past the hard limit ({@code slow_viewer}, close 4008). A disconnected viewer loses no
 * final: it reconnects with {@code since} and is replayed from the store. The server pings the
 * viewer now and then; one that answers nothing (no pong, no message) for the viewer idle time
 * is closed, so a vanished client does not hold a seat.
 */
public final class ViewerSocket implements CaptionSink {

    private final Vertx vertx;
    /** The connection's event loop: what touches its handlers runs there. */
    private final Context context;
    private final ServerWebSocket ws;
    private final Room room;
    private final String lang;
    private final Limits limits;
    private final GatewayMetrics metrics;
    private final AtomicLong unsentBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InboundFrames frames;
    private volatile long lastHeardNanos = System.nanoTime();
    private long pinger = -1;

    public ViewerSocket(Vertx vertx, ServerWebSocket ws, Room room, String lang, Limits limits, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.ws = ws;
        this.room = room;
        this.lang = lang;
        this.limits = limits;
        this.metrics = metrics;
        this.frames = new InboundFrames(limits, this::refuse);
    }

    /**
     * Starts delivering: a ready message, then the finals asked for (every one after
     * {@code since}, or without it the newest {@code last}), then live captions.
     */
    public void start(long since, int last) {
        ws.closeHandler(v -> {
            closed.set(true);
            vertx.cancelTimer(pinger);
            room.removeViewer(this);
        });
        ws.exceptionHandler(e -> {
            if (!ProtocolViolation.closeFor(ws, e)) {
                ws.close();
            }
        });
        ws.binaryMessageHandler(b -> {
            heard();
            if (frames.withinRate()) {
                refuse(ErrorCodes.INVALID_REQUEST, "viewers send no binary frames");
            }
        });
        ws.pongHandler(b -> heard());
        ws.textMessageHandler(this::onText);
        long ping = limits.viewerPingInterval().toMillis();
        pinger = vertx.setPeriodic(ping, ping, id -> {
            if (System.nanoTime() - lastHeardNanos > limits.viewerIdleTimeout().toNanos()) {
                metrics.error(ErrorCodes.IDLE_TIMEOUT);
                ws.close(CloseCodes.IDLE, ErrorCodes.IDLE_TIMEOUT);
            } else if (!ws.isClosed()) {
                ws.writePing(Buffer.buffer("p"));
            }
        });
        // "ready" once the room has let the viewer in: a refused viewer gets only the refusal.
        room.addViewer(this, lang, since, last, () -> ws.writeTextMessage(new JsonObject().put("type", "ready")
                .put("room", room.id()).put("lang", lang).encode())).whenComplete((v, error) -> {
            if (error == null) {
                return;
            }
            var refused = RoomRefusal.in(error);
            if (refused.isPresent()) {
                RoomRefusal refusal = refused.get();
                metrics.error(refusal.code());
                ws.writeTextMessage(ErrorMessage.encode(refusal.code(), refusal.getMessage()))
                        .onComplete(ar -> ws.close(refusal.code().equals(ErrorCodes.ROOM_CLOSED) ? CloseCodes.GONE
                                : CloseCodes.CAPACITY, refusal.code()));
            } else if (!closed.get()) {
                metrics.error(ErrorCodes.STORE_UNAVAILABLE);
                ws.writeTextMessage(ErrorMessage.encode(ErrorCodes.STORE_UNAVAILABLE,
                                "the transcript could not be read; reconnect with since to try again"))
                        .onComplete(ar -> ws.close(CloseCodes.INTERNAL, ErrorCodes.STORE_UNAVAILABLE));
            }
        });
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private void onText(String text) {
        heard();
        JsonObject msg = frames.message(text);
        if (msg == null) {
            return;
        }
        String type = msg.getString("type");
        if (!type.equals("keepalive") && !type.equals("ping")) {
            refuse(ErrorCodes.UNKNOWN_MESSAGE, "viewers may send {\"type\":\"keepalive\"} only, not '" + type + "'");
        }
    }

    private void refuse(String code, String message) {
        metrics.error(code);
        if (!ws.isClosed()) {
            ws.writeTextMessage(ErrorMessage.encode(code, message));
        }
    }

    @Override
    public void send(Caption caption) {
        if (closed.get()) {
            return;
        }
        long backlog = unsentBytes.get();
        if (backlog > limits.viewerHardQueueBytes()) {
            disconnectSlowViewer();
            return;
        }
        if (!caption.isFinal() && backlog > limits.viewerSoftQueueBytes()) {
            metrics.partialSkipped();
            return;
        }
        write(caption);
    }

    /** Replayed finals are paced by {@link #drained()}, not the backlog limits: a viewer catching up gets all of them. */
    @Override
    public void replay(Caption caption) {
        if (!closed.get()) {
            write(caption);
        }
    }

    @Override
    public CompletionStage<Void> drained() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        context.runOnContext(v -> {
            if (closed.get() || ws.isClosed()) {
                f.completeExceptionally(new IllegalStateException("the viewer left"));
            } else if (!ws.writeQueueFull() && unsentBytes.get() <= limits.viewerSoftQueueBytes()) {
                f.complete(null);
            } else {
                ws.drainHandler(x -> {
                    ws.drainHandler(null);
                    f.complete(null);
                });
                ws.closeHandler(x -> {
                    closed.set(true);
                    vertx.cancelTimer(pinger);
                    room.removeViewer(this);
                    f.completeExceptionally(new IllegalStateException("the viewer left"));
                });
            }
        });
        return f;
    }

    private void write(Caption caption) {
        String json = CaptionJson.encode(caption);
        long size = json.length();
        unsentBytes.addAndGet(size);
        metrics.captionSent(caption.isFinal());
        ws.writeTextMessage(json).onComplete(ar -> unsentBytes.addAndGet(-size));
    }

    @Override
    public void closing(String code, String message, short closeCode, long retryAfterMs) {
        if (closed.compareAndSet(false, true)) {
            Closing.tell(ws, code, message, closeCode, retryAfterMs);
        }
    }

    /**
     * Called while the room is delivering a caption, so the room is left alone here: the socket's
     * close handler removes the viewer, and nothing is sent to it meanwhile.
     */
    private void disconnectSlowViewer() {
        if (closed.compareAndSet(false, true)) {
            metrics.slowViewerDisconnected();
            metrics.error(ErrorCodes.SLOW_VIEWER);
            ws.close(CloseCodes.SLOW_VIEWER, ErrorCodes.SLOW_VIEWER);
        }
    }

    @Override
    public long unsentBytes() {
        return unsentBytes.get();
    }
}
