package io.parley.gateway;

import io.parley.gateway.auth.Role;
import io.parley.gateway.auth.TokenClaims;
import io.parley.gateway.auth.TokenKeys;
import io.parley.gateway.auth.TokenService;
import io.parley.gateway.config.Durations;
import io.parley.gateway.config.StoreConfig;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code parley token}: mints a token with the gateway's own key, for an operator (an admin
 * token for the whole server, say) or a script; or, with {@code --rotate}, makes a new signing
 * key in the data folder (tokens signed with the older keys stay valid until their files are
 * deleted).
 */
public final class TokenCommand {

    static final String USAGE = """
            usage: parley token --role admin|speaker|viewer [--room ID] [--ttl 24h] [--data DIR] [--jwt-key [ID=]FILE]...
                   parley token --rotate [--data DIR]
              --role R       what the token allows (admin with no --room: every room)
              --room ID      the room it opens (required but for admin)
              --ttl D        how long it lives (default 24h; at most 30d)
              --data DIR     the gateway's data folder, whose keys/ it signs with (default ~/.local/share/parley)
              --jwt-key F    sign with this key instead, as the gateway's --jwt-key
              --rotate       make a new signing key in DIR/keys and say its id
            """;

    private TokenCommand() {
    }

    public static void main(String[] args) throws Exception {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("parley token: " + e.getMessage());
            System.exit(2);
        }
    }

    /** What the command prints: a token, or the new key's file. */
    static String run(String[] args) throws Exception {
        Role role = null;
        String room = null;
        Duration ttl = Duration.ofHours(24);
        Path data = StoreConfig.defaults().dataDir();
        List<String> keys = new ArrayList<>();
        boolean rotate = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--role" -> role = Role.fromClaim(value(args, ++i, a)).orElseThrow(() ->
                        new IllegalArgumentException("--role takes admin, speaker or viewer"));
                case "--room" -> room = value(args, ++i, a);
                case "--ttl" -> ttl = Durations.parse(a, value(args, ++i, a));
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--jwt-key" -> keys.add(value(args, ++i, a));
                case "--rotate" -> rotate = true;
                case "--help", "-h" -> {
                    return USAGE;
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + USAGE);
            }
        }
        if (rotate) {
            Path made = TokenKeys.generate(data.resolve("keys"));
            return "made " + made + "; new tokens are signed with it, older ones stay valid until their key file is deleted"
                    + " (restart the gateway to use it)";
        }
        if (role == null) {
            throw new IllegalArgumentException("--role is required\n" + USAGE);
        }
        if (room == null) {
            if (role != Role.ADMIN) {
                throw new IllegalArgumentException("a " + role.claim() + " token needs --room");
            }
            room = TokenClaims.ANY_ROOM;
        } else if (!TokenService.ROOM_ID.matcher(room).matches()) {
            throw new IllegalArgumentException("a room id is 1 to 64 letters, digits, '-' or '_'");
        }
        TokenKeys loaded = TokenKeys.load(keys, data.resolve("keys"), line -> System.err.println("parley token: " + line));
        Vertx vertx = Vertx.vertx();
        try {
            return TokenService.create(vertx, loaded, Duration.ofDays(366)).mint(room, role, ttl);
        } finally {
            vertx.close();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
