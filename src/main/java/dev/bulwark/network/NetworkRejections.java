package dev.bulwark.network;

import java.nio.charset.StandardCharsets;

/**
 * WIRE.md's two 403 bodies, built once. The refusal path is the one an attacker drives, so it
 * allocates nothing: callers send these arrays as they are and must never modify them.
 */
public final class NetworkRejections {
    public static final int STATUS = 403;
    public static final String FIREWALL_MESSAGE = "Access denied due to Virtual Network/Firewall rules.";
    public static final String PRIVATE_ENDPOINT_MESSAGE = "Traffic is not from an approved private endpoint.";

    private static final byte[] FIREWALL = body(FIREWALL_MESSAGE);
    private static final byte[] PRIVATE_ENDPOINT = body(PRIVATE_ENDPOINT_MESSAGE);

    private NetworkRejections() {
    }

    /** {@code {"error":{"code":"403","message":"Access denied due to Virtual Network/Firewall rules."}}} (shared; do not modify). */
    public static byte[] firewallBody() {
        return FIREWALL;
    }

    /** The same shape with "Traffic is not from an approved private endpoint." (shared; do not modify). */
    public static byte[] privateEndpointBody() {
        return PRIVATE_ENDPOINT;
    }

    /** The body for a refusal; ALLOW has none. */
    public static byte[] body(NetworkVerdict verdict) {
        return switch (verdict) {
            case DENY_FIREWALL -> FIREWALL;
            case DENY_PUBLIC_ACCESS -> PRIVATE_ENDPOINT;
            case ALLOW -> throw new IllegalArgumentException("an allowed request has no rejection body");
        };
    }

    private static byte[] body(String message) {
        return ("{\"error\":{\"code\":\"403\",\"message\":\"" + message + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
