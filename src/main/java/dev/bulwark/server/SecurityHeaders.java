package dev.bulwark.server;

import io.vertx.core.MultiMap;

/** Headers on every response of every listener. */
public final class SecurityHeaders {
    static final String HSTS = "max-age=63072000";

    private SecurityHeaders() {
    }

    public static void apply(MultiMap headers) {
        headers.set("Strict-Transport-Security", HSTS);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
    }
}
