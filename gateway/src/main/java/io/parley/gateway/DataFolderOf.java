package io.parley.gateway;

import io.parley.gateway.config.CommandLine;

/**
 * Prints the data folder that {@code parley run} with the same options would use, and nothing
 * if the options are wrong (the gateway itself then says what is wrong). {@code ./parley run}
 * asks before starting the JVM, because where that JVM writes its crash log ({@code -XX:ErrorFile})
 * is fixed when it starts: in the data folder, beside the store, never in whatever folder the
 * gateway was started from.
 */
public final class DataFolderOf {

    private DataFolderOf() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(CommandLine.parse(args).store().dataDir().toAbsolutePath());
        } catch (RuntimeException wrongOrHelp) {
            // Nothing to print: the gateway reports it.
        }
    }
}
