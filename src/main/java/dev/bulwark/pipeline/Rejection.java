package dev.bulwark.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * An error answer in Azure's shape. The common ones are built once and shared (no per-request
 * allocation on the refusal path, which is the path an attacker drives).
 *
 * @param status   HTTP status
 * @param body     the JSON body
 * @param reason   why, for the audit record (never a secret)
 * @param audited  whether the refusal is written to the audit log (authentication failures are)
 */
public record Rejection(int status, byte[] body, String reason, boolean audited) {

    public static final String ACCESS_DENIED_MESSAGE = "Access denied due to invalid subscription key or wrong API endpoint. "
            + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";

    private static final byte[] UNAUTHORIZED_BODY = ("{\"error\":{\"code\":\"401\",\"message\":\"" + ACCESS_DENIED_MESSAGE + "\"}}")
            .getBytes(StandardCharsets.UTF_8);

    /** Azure's 401 for a missing, wrong or disabled key, or an unknown endpoint. */
    public static Rejection unauthorized(String reason) {
        return new Rejection(401, UNAUTHORIZED_BODY, reason, true);
    }

    public static Rejection notFound() {
        return new Rejection(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}".getBytes(StandardCharsets.UTF_8),
                "no such route", false);
    }

    @Override
    public String toString() {
        return "Rejection[" + status + ", " + reason + "]";
    }
}
