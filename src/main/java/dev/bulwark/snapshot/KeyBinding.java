package dev.bulwark.snapshot;

import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;

/**
 * The account and slot a key digest belongs to, with the principal built once (no allocation per
 * request) and the key's public id, which tokens exchanged for the key carry so that regenerating
 * the key revokes them.
 */
public record KeyBinding(Principal.AccountKey principal, String keyId) {

    public KeyBinding(String account, KeyName slot, String keyId) {
        this(new Principal.AccountKey(account, slot), keyId);
    }

    public String account() {
        return principal.account();
    }

    public KeyName keyName() {
        return principal.keyName();
    }
}
