package dev.bulwark.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HMAC-SHA256 under a purpose key: a digest that can be stored and looked up, but that a stolen
 * database cannot brute-force without the master key. One Mac per thread: Mac is not thread-safe
 * and {@code Mac.getInstance} per call costs more than the digest itself.
 */
public final class KeyedDigest {
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public KeyedDigest(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    public static KeyedDigest forPurpose(MasterKey master, String purpose) {
        return new KeyedDigest(master.derive(purpose));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Digest of an ASCII string (account keys are ASCII by format), without an intermediate byte[]. */
    public byte[] digestAscii(CharSequence s) {
        Mac mac = macs.get();
        for (int i = 0, n = s.length(); i < n; i++) {
            mac.update((byte) s.charAt(i));
        }
        return mac.doFinal();
    }
}
