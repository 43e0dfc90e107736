package io.parley.gateway.protocol;

/**
 * The stable error codes of the v1 protocol. Clients may switch on them; their meaning never
 * changes. Codes raised by engines (e.g. {@code unsupported_language}, {@code recognizer_busy},
 * {@code bad_audio_frame}) travel unchanged.
 */
public final class ErrorCodes {

    /** A text frame or request body that is not JSON, or not a JSON object. */
    public static final String BAD_JSON = "bad_json";
    /** JSON of the wrong shape: a missing or mistyped field. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** A message type the endpoint does not know. */
    public static final String UNKNOWN_MESSAGE = "unknown_message";
    /** Binary audio before the start message. */
    public static final String AUDIO_BEFORE_START = "audio_before_start";
    /** A second start message on one speaker socket. */
    public static final String ALREADY_STARTED = "already_started";
    /** A format other than pcm_s16le and opus. */
    public static final String UNKNOWN_FORMAT = "unknown_format";
    /** A language nobody can recognise or translate into. */
    public static final String UNSUPPORTED_LANGUAGE = "unsupported_language";
    public static final String UNSUPPORTED_TASK = "unsupported_task";
    /** A frame over the size limit; it was not read. */
    public static final String FRAME_TOO_LARGE = "frame_too_large";
    /** Frames or audio arriving faster than allowed; the excess was not accepted. */
    public static final String RATE_LIMITED = "rate_limited";
    /** No such room. */
    public static final String ROOM_NOT_FOUND = "room_not_found";
    /** The room was closed (DELETE, or idle too long); its tokens no longer open it. */
    public static final String ROOM_CLOSED = "room_closed";
    /** The server is shutting down; come back (to it or another) after the hint, with since. */
    public static final String SERVER_SHUTDOWN = "server_shutdown";
    /** Too many requests from one address; see Retry-After. */
    public static final String TOO_MANY_REQUESTS = "too_many_requests";
    /** Too many connections, in all or from one address. */
    public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
    /** The store is not answering; nothing was lost, try again. */
    public static final String STORE_UNAVAILABLE = "store_unavailable";
    /** No token was presented. */
    public static final String UNAUTHORIZED = "unauthorized";
    /** A token was presented but does not allow this. */
    public static final String FORBIDDEN = "forbidden";
    /** A limit on rooms, speakers or viewers was reached. */
    public static final String CAPACITY = "capacity_reached";
    /** A viewer that did not read its captions fast enough; reconnect with since. */
    public static final String SLOW_VIEWER = "slow_viewer";
    /** A speaker silent past the idle timeout. */
    public static final String IDLE_TIMEOUT = "idle_timeout";
    /** An unknown HTTP path. */
    public static final String NOT_FOUND = "not_found";
    /** An export format other than json, vtt and srt. */
    public static final String UNKNOWN_EXPORT_FORMAT = "unknown_export_format";
    /** Anything unexpected on the server's side. */
    public static final String INTERNAL = "internal_error";
    // Text translation
    public static final String UNSUPPORTED_PAIR = "unsupported_pair";
    public static final String TRANSLATION_FAILED = "translation_failed";
    // WebRTC ingest (WHIP)
    public static final String BAD_SDP = "bad_sdp";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String WEBRTC_UNAVAILABLE = "webrtc_unavailable";
    public static final String SESSION_NOT_FOUND = "session_not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** No address to offer for media, or no UDP port could be opened: 503, nothing was opened. */
    public static final String NO_ICE_CANDIDATES = "no_ice_candidates";
    /** Counted (not sent: WHIP has no channel back) when a session's ICE never connected in time. */
    public static final String ICE_TIMEOUT = "ice_timeout";

    // Recorded files (Deepgram's and OpenAI's file APIs, parley transcribe)
    /** The file could not be decoded: truncated, damaged, or not what its first bytes claim. */
    public static final String CORRUPT_MEDIA = "corrupt_media";
    /** The file holds no audio stream (a video without sound, an empty container). */
    public static final String NO_AUDIO = "no_audio";
    /** Longer than maxFileSeconds. */
    public static final String MEDIA_TOO_LONG = "media_too_long";
    /** Larger than maxUploadBytes. */
    public static final String UPLOAD_TOO_LARGE = "upload_too_large";
    /** This format needs ffmpeg, which is not installed. */
    public static final String DECODER_UNAVAILABLE = "decoder_unavailable";

    // Raised by the engines and passed on unchanged (listed here so that every code is in one place).
    public static final String UNSUPPORTED_SAMPLE_RATE = "unsupported_sample_rate";
    public static final String UNSUPPORTED_CHANNELS = "unsupported_channels";
    public static final String BAD_AUDIO_FRAME = "bad_audio_frame";
    /** More audio waits for the recognizer than a stream may hold; this audio was not taken. */
    public static final String RECOGNIZER_OVERLOADED = "recognizer_overloaded";
    /** Every recognizer stream is in use. */
    public static final String RECOGNIZER_BUSY = "recognizer_busy";
    public static final String ENGINE_UNAVAILABLE = "engine_unavailable";
    public static final String ENGINE_FAILED = "engine_failed";
    public static final String TRANSLATION_OVERLOADED = "translation_overloaded";
    public static final String TRANSLATION_TIMEOUT = "translation_timeout";
    public static final String TRANSLATOR_CLOSED = "translator_closed";

    private ErrorCodes() {
    }

    /** Every code of the protocol: what a client may ever be sent. */
    public static java.util.Set<String> all() {
        java.util.Set<String> codes = new java.util.TreeSet<>();
        for (java.lang.reflect.Field f : ErrorCodes.class.getFields()) {
            if (f.getType() == String.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                try {
                    codes.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return codes;
    }
}
