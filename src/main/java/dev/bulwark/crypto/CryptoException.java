package dev.bulwark.crypto;

/** One generic failure for every decryption problem, so errors tell an attacker nothing. */
public final class CryptoException extends RuntimeException {
    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
