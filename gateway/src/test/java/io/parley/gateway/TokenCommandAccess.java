package io.parley.gateway;

/** Lets tests in other packages run {@code parley token} in-process, as an operator would at a shell. */
public final class TokenCommandAccess {

    private TokenCommandAccess() {
    }

    public static String mint(String[] args) throws Exception {
        return TokenCommand.run(args);
    }
}
