package dev.bulwark.vault;

import dev.bulwark.identity.Principal;

/** May this principal perform this Key Vault data action at this scope ({@code /vault}, {@code /vault/secrets/<name>})? */
@FunctionalInterface
public interface VaultAuthorizer {
    boolean permits(Principal principal, String scope, String dataAction);
}
