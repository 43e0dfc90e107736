package io.parley.gateway.whip;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

import java.util.concurrent.CompletableFuture;

/**
 * libwebrtc's offer/answer callbacks as futures, so that a negotiation reads as one chain. Both
 * sides of WHIP use them: the gateway answering, and clients (the tests' libwebrtc client) offering.
 */
public final class SdpFutures {

    private SdpFutures() {
    }

    /** Completes {@code done} when a description is set; fails it with libwebrtc's reason. */
    public static SetSessionDescriptionObserver set(CompletableFuture<Void> done) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalArgumentException(error));
            }
        };
    }

    /** Completes {@code result} with a created offer or answer; fails it with {@code what} and libwebrtc's reason. */
    public static CreateSessionDescriptionObserver created(CompletableFuture<RTCSessionDescription> result, String what) {
        return new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                result.complete(description);
            }

            @Override
            public void onFailure(String error) {
                result.completeExceptionally(new IllegalArgumentException(what + ": " + error));
            }
        };
    }
}
