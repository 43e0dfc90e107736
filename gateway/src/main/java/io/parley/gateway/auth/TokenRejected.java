package io.parley.gateway.auth;

/** A token that is not one of ours, expired, or malformed; the message says which, for the client. */
public final class TokenRejected extends Exception {

    public TokenRejected(String message) {
        super(message, null, false, false);
    }
}
