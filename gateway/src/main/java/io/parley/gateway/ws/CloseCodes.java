package io.parley.gateway.ws;

/** WebSocket close codes Parley uses; 4xxx are application codes that mirror the error's meaning. */
public final class CloseCodes {

    public static final short NORMAL = 1000;
    /** The server is going away (shutting down): reconnect, to it or another, with since. */
    public static final short GOING_AWAY = 1001;
    /** The room was closed: do not reconnect. */
    public static final short GONE = 4410;
    public static final short INTERNAL = 1011;
    public static final short IDLE = 4000;
    public static final short UNAUTHORIZED = 4401;
    public static final short FORBIDDEN = 4403;
    public static final short NOT_FOUND = 4404;
    public static final short SLOW_VIEWER = 4008;
    public static final short CAPACITY = 4429;
    public static final short BAD_REQUEST = 4400;

    private CloseCodes() {
    }
}
