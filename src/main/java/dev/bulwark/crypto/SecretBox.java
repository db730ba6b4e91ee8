package dev.bulwark.crypto;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;

/**
 * AES-256-GCM for small secrets at rest (account keys). Ciphertext layout:
 * {@code [format 0x01][key id][12-byte nonce][ciphertext + 16-byte tag]}. The key id names the
 * keyring entry, so a rotated root key still decrypts old rows (Tink's primary + old keys model).
 * The associated data binds a ciphertext to the row it belongs to: moved elsewhere, it fails.
 */
public final class SecretBox {
    private static final byte FORMAT = 0x01;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final byte primaryId;
    private final Map<Byte, SecretKeySpec> keys;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte primaryId, Map<Byte, SecretKeySpec> keys) {
        this.primaryId = primaryId;
        this.keys = Map.copyOf(keys);
    }

    /** A box whose only (primary) key is derived from the master key for {@code purpose}. */
    public static SecretBox forPurpose(MasterKey master, String purpose) {
        return new SecretBox((byte) 1, Map.of((byte) 1, new SecretKeySpec(master.derive(purpose), "AES")));
    }

    /**
     * Whether {@code stored} is in this box's format (its first byte) rather than an envelope
     * ({@code "BWE"}): how stores tell rows written before the keyring from newer ones.
     */
    public static boolean isSealedByThis(byte[] stored) {
        return stored != null && stored.length > 0 && stored[0] == FORMAT;
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(primaryId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext);
            byte[] out = new byte[2 + NONCE + ct.length];
            out[0] = FORMAT;
            out[1] = primaryId;
            System.arraycopy(nonce, 0, out, 2, NONCE);
            System.arraycopy(ct, 0, out, 2 + NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new CryptoException("encryption failed", e);
        }
    }

    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 2 + NONCE + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new CryptoException("cannot decrypt");
        }
        SecretKeySpec key = keys.get(sealed[1]);
        if (key == null) {
            throw new CryptoException("cannot decrypt");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 2, NONCE));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(sealed, 2 + NONCE, sealed.length - 2 - NONCE);
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot decrypt", e);
        }
    }
}
