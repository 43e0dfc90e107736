package io.parley.gateway.protocol;

import io.vertx.core.json.JsonObject;

/** {@code {"type":"error","code":"...","message":"..."}}, the one shape of every error. */
public final class ErrorMessage {

    private ErrorMessage() {
    }

    public static JsonObject of(String code, String message) {
        return new JsonObject().put("type", "error").put("code", code).put("message", message);
    }

    public static String encode(String code, String message) {
        return of(code, message).encode();
    }
}
