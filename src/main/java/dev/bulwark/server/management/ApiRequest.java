package dev.bulwark.server.management;

import dev.bulwark.identity.Principal;

import java.util.Map;

/** A parsed management request: method, path segments, query, body, and the authenticated caller. */
public record ApiRequest(String method, String[] segments, Map<String, String> query, byte[] body,
                         Principal principal, String requestId, String clientAddress) {

    public String query(String name) {
        return query.get(name);
    }
}
