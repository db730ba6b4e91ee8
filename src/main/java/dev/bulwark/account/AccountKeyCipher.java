package dev.bulwark.account;

import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.crypto.SecretBox;

import java.nio.charset.StandardCharsets;

/**
 * Turns account keys into what is stored (digest + ciphertext) and back. The ciphertext is bound
 * to its account and slot, so a row copied to another account or slot does not decrypt.
 */
public final class AccountKeyCipher {
    public static final String DIGEST_PURPOSE = "bulwark/account-key-digest/v1";
    public static final String ENCRYPTION_PURPOSE = "bulwark/account-key-encryption/v1";

    private final KeyedDigest digest;
    private final SecretBox box;

    public AccountKeyCipher(KeyedDigest digest, SecretBox box) {
        this.digest = digest;
        this.box = box;
    }

    public StoredKey protect(String account, KeyName slot, String key) {
        return new StoredKey(account, slot, digest.digestAscii(key),
                box.seal(key.getBytes(StandardCharsets.US_ASCII), associatedData(account, slot)));
    }

    /** The key in clear, for listKeys only. */
    public String reveal(StoredKey k) {
        return new String(box.open(k.ciphertext(), associatedData(k.account(), k.name())), StandardCharsets.US_ASCII);
    }

    public KeyedDigest digest() {
        return digest;
    }

    private static String associatedData(String account, KeyName slot) {
        return "account-key|" + account + "|" + slot.name();
    }
}
