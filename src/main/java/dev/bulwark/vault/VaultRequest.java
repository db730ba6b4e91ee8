package dev.bulwark.vault;

import dev.bulwark.identity.Principal;

import java.util.Map;

/**
 * One authenticated vault call, transport-neutral.
 *
 * @param baseUrl the vault URL ids are built on, e.g. {@code https://bulwark.example:8443}
 */
public record VaultRequest(String method, String path, Map<String, String> query, byte[] body, Principal principal, String baseUrl) {
    public VaultRequest {
        query = Map.copyOf(query);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
