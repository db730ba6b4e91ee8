package dev.bulwark.service;

import dev.bulwark.identity.Principal;
import dev.bulwark.snapshot.AccountView;

import java.util.function.Function;

/**
 * What a service sees of a request that every security stage has passed: who, for which account,
 * the query parameters and the (size-limited) body.
 */
public record ServiceRequest(String requestId, AccountView account, Principal principal, Function<String, String> query,
                             Function<String, String> headers, byte[] body) {

    public String query(String name) {
        return query.apply(name);
    }

    /** A request header (case-insensitive), or null. */
    public String header(String name) {
        return headers.apply(name);
    }
}
