package dev.bulwark.account;

import dev.bulwark.crypto.CustomerKey;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyProvider;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;

import java.util.function.Predicate;

/**
 * {@link CustomerKeyAccess} over the keyring's providers: the built-in vault's keys and, when
 * configured, the HSM's. A key is usable when its provider resolves it (the pinned version, or the
 * newest) without a {@link KeyAccessDeniedException}: the provider applies enabled, nbf, exp,
 * deletion and grants.
 */
public final class KeyringCustomerKeys implements CustomerKeyAccess {
    private final KeyProviders providers;
    private final DataKeyCache cache;
    private final Predicate<String> builtInVaultUri;
    private final String vaultUriHint;

    /**
     * @param builtInVaultUri whether an {@code https://} keyVaultUri names this Bulwark's vault
     * @param vaultUriHint    the vault URL to suggest in errors
     */
    public KeyringCustomerKeys(KeyProviders providers, DataKeyCache cache, Predicate<String> builtInVaultUri, String vaultUriHint) {
        this.providers = providers;
        this.cache = cache;
        this.builtInVaultUri = builtInVaultUri;
        this.vaultUriHint = vaultUriHint;
    }

    @Override
    public void check(AccountEncryption encryption) {
        if (!encryption.customerManaged()) {
            return;
        }
        CustomerKey key = encryption.customerKey().orElseThrow();
        if (key.source() == KeySource.VAULT && !builtInVaultUri.test(encryption.keyVaultUri())) {
            throw invalid("properties.encryption.keyVaultProperties.keyVaultUri must name this Bulwark's built-in vault ("
                    + vaultUriHint + ") or be a pkcs11: URI; Bulwark cannot reach other vaults");
        }
        if (!providers.has(key.source())) {
            throw invalid(key.source() == KeySource.PKCS11
                    ? "this Bulwark has no PKCS#11 HSM configured (BULWARK_PKCS11_LIBRARY, BULWARK_PKCS11_SLOT, BULWARK_PKCS11_PIN)"
                    : "this Bulwark has no vault for customer-managed keys");
        }
        try {
            resolve(key);
        } catch (KeyAccessDeniedException e) {
            throw new AccountValidationException("CustomerManagedKeyAccessDenied", "the key '" + key.name()
                    + (key.version().map(v -> "' version '" + v).orElse("")) + "' cannot be used: " + reason(key, e));
        }
    }

    @Override
    public boolean usable(CustomerKey key, java.util.Collection<KeyReference> inUse) {
        if (!providers.has(key.source())) {
            return false;
        }
        try {
            resolve(key);
            KeyProvider p = providers.require(key.source());
            for (KeyReference ref : inUse) {
                if (ref.source() == key.source()) {
                    p.resolve(ref.name(), ref.version());
                }
            }
            return true;
        } catch (KeyAccessDeniedException | IllegalArgumentException | dev.bulwark.crypto.CryptoException e) {
            // Revoked: data keys unwrapped earlier must not outlive the key.
            forget(key);
            return false;
        }
    }

    @Override
    public void forget(CustomerKey key) {
        cache.invalidateAll(key.source(), key.name());
    }

    private KeyReference resolve(CustomerKey key) {
        KeyProvider p = providers.require(key.source());
        return key.version().isPresent() ? p.resolve(key.name(), key.version().get()) : p.current(key.name());
    }

    /**
     * The provider's reason, without the key reference it starts with (the caller names the key).
     * The vault's reasons are its own words ("disabled", "expired"); an HSM's carry the module's
     * error text, which stays in the operator's log rather than reaching an API caller.
     */
    private static String reason(CustomerKey key, KeyAccessDeniedException e) {
        if (key.source() == KeySource.PKCS11) {
            java.util.logging.Logger.getLogger(KeyringCustomerKeys.class.getName()).warning(e.getMessage());
            return "the HSM refused it (the reason is in Bulwark's log)";
        }
        String m = e.getMessage();
        int i = m.indexOf(" denied: ");
        return i < 0 ? "access denied" : m.substring(i + " denied: ".length());
    }

    private static AccountValidationException invalid(String message) {
        return new AccountValidationException("InvalidEncryption", message);
    }
}
