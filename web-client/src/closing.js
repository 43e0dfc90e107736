// The gateway's notice that it is shutting down: {"type":"closing","code":"server_shutdown",
// "message":"...","retryAfterMs":N} on a socket, then a close with 1001 (going away). Whoever
// holds the socket (the caption connection, the PCM speaker) comes back after retryAfterMs,
// when the gateway expects to be up again, rather than on its usual backoff.

// A server's retryAfterMs is followed up to this: a widget should not sit silent for longer on
// the strength of a number it was sent.
const MAX_RETRY_AFTER_MS = 30000;

/** The WebSocket close code of a server going away (RFC 6455). */
export const GOING_AWAY = 1001;

/** The wait a notice asks for, bounded to 30 s; -1 when it names none (then: the usual backoff). */
export function retryAfter(msg) {
  const ms = msg && msg.retryAfterMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : -1;
}
