package dev.bulwark.vault;

import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyProvider;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A vault key as a customer-managed key: wraps and unwraps data keys with one version of it. A key
 * that is missing, soft-deleted, disabled, expired or not yet valid raises
 * {@link KeyAccessDeniedException} at once, so revoking it makes the data unreadable on the next
 * unwrap. {@link #onKeyStateChanged} tells the integrator to drop cached data keys right away.
 * Blocking (database, cipher): worker threads only.
 */
public final class VaultKeyProvider implements KeyProvider {
    private final VaultKeys keys;

    public VaultKeyProvider(VaultKeys keys) {
        this.keys = keys;
    }

    @Override
    public KeySource source() {
        return KeySource.VAULT;
    }

    /** Calls {@code listener} with the key's name whenever a key is created, rotated, changed, deleted, recovered or purged. */
    public void onKeyStateChanged(Consumer<String> listener) {
        keys.items().onChange(v -> {
            if (v.kind() == VaultItemKind.KEY) {
                listener.accept(v.name());
            }
        });
    }

    @Override
    public KeyReference current(String keyName) {
        KeyReference any = reference(keyName, "00000000000000000000000000000000");
        List<VaultVersion> versions;
        try {
            versions = keys.items().versions(VaultItemKind.KEY, keyName);
        } catch (VaultException e) {
            throw new KeyAccessDeniedException(any, denial(e));
        }
        for (int i = versions.size() - 1; i >= 0; i--) {
            VaultVersion v = versions.get(i);
            if (v.attributes().usableAt(keys.items().now())) {
                return reference(v.name(), v.version());
            }
        }
        throw new KeyAccessDeniedException(any, "no enabled, valid version");
    }

    @Override
    public KeyReference resolve(String keyName, String version) {
        VaultVersion v = usable(reference(keyName, version));
        return reference(v.name(), v.version());
    }

    @Override
    public byte[] wrap(KeyReference key, byte[] dataKey, byte[] associatedData) {
        VaultVersion v = usable(key);
        try {
            return keys.wrapBound(v, dataKey, associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot wrap a data key", e);
        }
    }

    @Override
    public byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] associatedData) {
        VaultVersion v = usable(key);
        try {
            return keys.unwrapBound(v, wrappedKey, associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot decrypt");
        }
    }

    private VaultVersion usable(KeyReference key) {
        if (key.source() != KeySource.VAULT) {
            throw new IllegalArgumentException("not a vault key: " + key);
        }
        try {
            return keys.usable(key.name(), Optional.of(key.version()), "wrapKey");
        } catch (VaultException e) {
            throw new KeyAccessDeniedException(key, denial(e));
        }
    }

    /** The refusal in a few words: never key material, only the key's state. */
    private static String denial(VaultException e) {
        return switch (e.status()) {
            case 404 -> "the key or version does not exist or is deleted";
            case 403 -> e.innerCode() == null ? "forbidden" : e.innerCode();
            default -> e.code();
        };
    }

    private static KeyReference reference(String name, String version) {
        if (!VaultName.isValid(name)) {
            throw new IllegalArgumentException("not a vault key name");
        }
        return new KeyReference(KeySource.VAULT, name, version);
    }
}
