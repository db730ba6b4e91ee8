package dev.bulwark.crypto;

import java.util.Optional;

/**
 * The customer-managed key an account names (its {@code properties.encryption}): a key in the
 * built-in vault or in a PKCS#11 HSM, either pinned to one version or following the newest.
 */
public record CustomerKey(KeySource source, String name, Optional<String> version) {
    public CustomerKey {
        if (source == null || source == KeySource.SERVICE || name == null || name.isEmpty() || version == null) {
            throw new IllegalArgumentException("a customer-managed key lives in the vault or an HSM and has a name");
        }
    }
}
