package io.parley.gateway.ws;

import io.parley.gateway.config.Limits;
import io.parley.gateway.metrics.GatewayMetrics;
import io.parley.gateway.protocol.CaptionJson;
import io.parley.gateway.protocol.ErrorCodes;
import io.parley.gateway.protocol.ErrorMessage;
import io.parley.gateway.room.Caption;
import io.parley.gateway.room.CaptionSink;
import io.parley.gateway.room.Room;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A viewer's socket. It never blocks the room: it counts the bytes written but not yet taken
 * by the network, skips partials once that backlog passes the soft limit, and disconnects the
 * viewer past the hard limit ({@code slow_viewer}, close 4008). A disconnected viewer loses no
 * final: it reconnects with {@code since} and is replayed from the journal.
 */
public final class ViewerSocket implements CaptionSink {

    private final ServerWebSocket ws;
    private final Room room;
    private final String lang;
    private final Limits limits;
    private final GatewayMetrics metrics;
    private final AtomicLong unsentBytes = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InboundFrames frames;

    public ViewerSocket(ServerWebSocket ws, Room room, String lang, Limits limits, GatewayMetrics metrics) {
        this.ws = ws;
        this.room = room;
        this.lang = lang;
        this.limits = limits;
        this.metrics = metrics;
        this.frames = new InboundFrames(limits, this::refuse);
    }

    /** Starts delivering: a ready message, every final after {@code since}, then live captions. */
    public void start(long since) {
        ws.closeHandler(v -> {
            closed.set(true);
            room.removeViewer(this);
        });
        ws.exceptionHandler(e -> ws.close());
        ws.binaryMessageHandler(b -> {
            if (frames.withinRate()) {
                refuse(ErrorCodes.INVALID_REQUEST, "viewers send no binary frames");
            }
        });
        ws.textMessageHandler(this::onText);
        ws.writeTextMessage(new JsonObject().put("type", "ready").put("room", room.id())
                .put("lang", lang).put("lastSeq", room.lastSeq()).encode());
        if (!room.addViewer(this, lang, since, limits.maxViewersPerRoom())) {
            refuse(ErrorCodes.CAPACITY, "this room has as many viewers as it allows");
            ws.close(CloseCodes.CAPACITY, ErrorCodes.CAPACITY);
        }
    }

    private void onText(String text) {
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
        ws.writeTextMessage(ErrorMessage.encode(code, message));
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

    /** Replayed finals bypass the backlog limits: a reconnecting viewer must get all of them. */
    @Override
    public void replay(Caption caption) {
        if (!closed.get()) {
            write(caption);
        }
    }

    private void write(Caption caption) {
        String json = CaptionJson.encode(caption);
        long size = json.length();
        unsentBytes.addAndGet(size);
        metrics.captionSent(caption.isFinal());
        ws.writeTextMessage(json).onComplete(ar -> unsentBytes.addAndGet(-size));
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
