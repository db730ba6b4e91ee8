package dev.bulwark.crypto;

/**
 * A key-encryption key cannot be used now: disabled, deleted, expired, not yet valid, or Bulwark's
 * grant on it was removed. Unlike a generic {@link CryptoException} this is not tampering; the
 * data is intact and becomes readable again when access is restored. The message names the key,
 * never key material.
 */
public class KeyAccessDeniedException extends RuntimeException {
    private final KeyReference key;

    public KeyAccessDeniedException(KeyReference key, String reason) {
        super("access to key " + key + " denied: " + reason);
        this.key = key;
    }

    public KeyReference key() {
        return key;
    }
}
