package io.parley.gateway.room;

/**
 * A room refused what was asked, with the stable error code to answer: {@code capacity_reached}
 * (full of viewers, speakers or languages) or {@code room_closed}.
 */
public final class RoomRefusal extends RuntimeException implements RoomChain.Expected {

    private final String code;

    public RoomRefusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The refusal a failed future carries, if that is what it failed with. */
    public static java.util.Optional<RoomRefusal> in(Throwable failure) {
        return RoomChain.unwrap(failure) instanceof RoomRefusal r ? java.util.Optional.of(r) : java.util.Optional.empty();
    }
}
