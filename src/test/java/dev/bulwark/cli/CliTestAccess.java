package dev.bulwark.cli;

import java.util.Map;

/** Lets tests in other packages give the CLI an environment. */
public final class CliTestAccess {
    private CliTestAccess() {
    }

    public static void environment(Map<String, String> env) {
        ClientOptions.environment = env;
    }
}
