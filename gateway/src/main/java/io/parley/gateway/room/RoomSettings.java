package io.parley.gateway.room;

import io.parley.speech.recognizer.SessionOptions;

import java.util.Locale;
import java.util.Objects;

/**
 * What a room asks of its speech engine, fixed when the room is created
 * ({@code POST /v1/rooms {"task": "translate"}}).
 *
 * @param task {@code transcribe}: captions in the language spoken; {@code translate}: the
 *             speech captioned in English by the recognizer itself (Whisper's translate task),
 *             and fanned out from English to the other languages by the translators
 */
public record RoomSettings(SessionOptions.Task task) {

    public static RoomSettings defaults() {
        return new RoomSettings(SessionOptions.Task.TRANSCRIBE);
    }

    public RoomSettings {
        Objects.requireNonNull(task, "task");
    }

    /** The task by its wire value, a JSON string. */
    public static SessionOptions.Task parseTask(Object value) {
        if (!(value instanceof String name)) {
            throw new IllegalArgumentException("\"task\" must be a string: \"transcribe\" or \"translate\"");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "transcribe" -> SessionOptions.Task.TRANSCRIBE;
            case "translate" -> SessionOptions.Task.TRANSLATE;
            default -> throw new IllegalArgumentException("\"task\" must be \"transcribe\" or \"translate\", not '" + name + "'");
        };
    }

    public String taskName() {
        return task.name().toLowerCase(Locale.ROOT);
    }

    /** As the store keeps them. */
    public String toJson() {
        return new io.vertx.core.json.JsonObject().put("task", taskName()).encode();
    }

    /** Read back from the store; settings a newer Parley added are ignored. */
    public static RoomSettings fromJson(String json) {
        io.vertx.core.json.JsonObject o = new io.vertx.core.json.JsonObject(json);
        return new RoomSettings(parseTask(o.getValue("task", "transcribe")));
    }
}
