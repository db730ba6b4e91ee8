package dev.bulwark.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;

import java.security.GeneralSecurityException;

/**
 * AES-256-GCM from a raw 32-byte key, through Tink's AEAD (random 12-byte nonce, 16-byte tag, output
 * {@code nonce || ciphertext || tag}). One place turns raw key bytes into a Tink key, so the raw-key
 * door ({@link InsecureSecretKeyAccess}) is opened only here.
 */
public final class Aes256Gcm {
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    /** The shortest output: an empty plaintext still carries a nonce and a tag. */
    static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;

    private static final AesGcmParameters PARAMETERS = parameters();

    private final Aead aead;

    private Aes256Gcm(Aead aead) {
        this.aead = aead;
    }

    /** The key bytes are copied; the caller may zero its array afterwards. */
    public static Aes256Gcm of(byte[] rawKey) {
        if (rawKey == null || rawKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("AES-256-GCM needs a 32-byte key");
        }
        try {
            AesGcmKey key = AesGcmKey.builder()
                    .setParameters(PARAMETERS)
                    .setKeyBytes(SecretBytes.copyFrom(rawKey, InsecureSecretKeyAccess.get()))
                    .build();
            return new Aes256Gcm(AesGcmJce.create(key));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable", e);
        }
    }

    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        if (ciphertext.length < OVERHEAD) {
            throw new CryptoException("cannot decrypt");
        }
        try {
            return aead.decrypt(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot decrypt", e);
        }
    }

    @Override
    public String toString() {
        return "Aes256Gcm[****]";
    }

    private static AesGcmParameters parameters() {
        try {
            return AesGcmParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setIvSizeBytes(NONCE_BYTES)
                    .setTagSizeBytes(TAG_BYTES)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM parameters rejected", e);
        }
    }
}
