package dev.bulwark.identity.token;

import dev.bulwark.account.KeyName;

/**
 * Answers whether an account key is still the one in its slot, so that regenerating a key revokes
 * every token it minted on the very next request. Called on every verification of an account-key
 * token (cached or not), on the event loop: it must be an in-memory lookup (the snapshot), never I/O.
 */
@FunctionalInterface
public interface KeyGenerations {
    /** True when {@code keyId} is the current key of {@code account}'s {@code slot}. */
    boolean isCurrent(String account, KeyName slot, String keyId);
}
