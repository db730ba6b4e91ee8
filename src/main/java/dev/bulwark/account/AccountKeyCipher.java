package dev.bulwark.account;

import dev.bulwark.crypto.CustomerKey;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ObjectIdentity;
import dev.bulwark.crypto.SecretBox;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns account keys into what is stored (digest + envelope) and back. The envelope goes through
 * the keyring like every other stored object, so an account with a customer-managed key has its
 * keys encrypted twice, and its identity (account and slot) is bound in: a row copied to another
 * account or slot does not decrypt.
 *
 * <p>Rows written before the keyring existed are {@link SecretBox} ciphertexts; they are still
 * read, and {@link AccountService#upgradeStoredKeys()} rewrites them as envelopes at startup.
 */
public final class AccountKeyCipher {
    public static final String DIGEST_PURPOSE = "bulwark/account-key-digest/v1";
    /** The purpose of the pre-keyring {@link SecretBox}; only read now. */
    public static final String ENCRYPTION_PURPOSE = "bulwark/account-key-encryption/v1";
    static final String OBJECT_KIND = "account-key";

    private final KeyedDigest digest;
    private final ObjectCipher cipher;
    private final SecretBox legacy;

    /** @param legacy opens rows written before the keyring; null when there can be none */
    public AccountKeyCipher(KeyedDigest digest, ObjectCipher cipher, SecretBox legacy) {
        this.digest = digest;
        this.cipher = cipher;
        this.legacy = legacy;
    }

    public StoredKey protect(String account, KeyName slot, String key, Optional<CustomerKey> customerKey) {
        return new StoredKey(account, slot, digest.digestAscii(key),
                cipher.seal(key.getBytes(StandardCharsets.US_ASCII), identity(account, slot), customerKey));
    }

    /**
     * The key in clear, for listKeys only.
     *
     * @throws dev.bulwark.crypto.KeyAccessDeniedException when the account's customer-managed key is not usable
     */
    public String reveal(StoredKey k) {
        byte[] clear = isLegacy(k) ? legacy.open(k.ciphertext(), legacyAssociatedData(k.account(), k.name()))
                : cipher.open(k.ciphertext(), identity(k.account(), k.name()));
        return new String(clear, StandardCharsets.US_ASCII);
    }

    /** The same key under the account's current layers and newest key versions; data keys only when possible. */
    public StoredKey rewrap(StoredKey k, Optional<CustomerKey> customerKey) {
        if (isLegacy(k)) {
            return protect(k.account(), k.name(), reveal(k), customerKey);
        }
        byte[] next = cipher.rewrap(k.ciphertext(), identity(k.account(), k.name()), customerKey);
        return next == k.ciphertext() ? k : new StoredKey(k.account(), k.name(), k.digest(), next);
    }

    public boolean isLegacy(StoredKey k) {
        return legacy != null && SecretBox.isSealedByThis(k.ciphertext());
    }

    public KeyedDigest digest() {
        return digest;
    }

    public ObjectCipher objectCipher() {
        return cipher;
    }

    static ObjectIdentity identity(String account, KeyName slot) {
        return new ObjectIdentity(account, OBJECT_KIND, slot.name());
    }

    private static String legacyAssociatedData(String account, KeyName slot) {
        return "account-key|" + account + "|" + slot.name();
    }
}
