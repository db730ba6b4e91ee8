package dev.bulwark.identity.workload;

import dev.bulwark.identity.Principal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token endpoint's answer, independent of the HTTP server: status, headers to set (including
 * {@code Content-Type} and {@code Cache-Control: no-store}), the JSON body, and the facts for the audit
 * record (who, when authenticated; why, when refused). Never carries a secret except the issued token in the body.
 *
 * @param principal   the workload that was authenticated, if one was
 * @param auditReason a short reason for the audit record ("issued", "wrong client secret", ...)
 */
public record EndpointResponse(int status, Map<String, String> headers, String body,
                               Optional<Principal.Workload> principal, String auditReason) {

    public EndpointResponse {
        headers = Map.copyOf(headers);
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public boolean succeeded() {
        return status == 200;
    }

    static Map<String, String> jsonHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json; charset=utf-8");
        // RFC 6749 §5.1: token responses must not be cached.
        h.put("Cache-Control", "no-store");
        h.put("Pragma", "no-cache");
        return h;
    }
}
