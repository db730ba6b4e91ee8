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
    private final ThreadLocal<PerThread> perThread;

    /** A Mac and a scratch buffer, reused by one thread for every digest it computes. */
    private record PerThread(Mac mac, byte[] scratch) {
    }

    public KeyedDigest(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.perThread = ThreadLocal.withInitial(() -> new PerThread(newMac(), new byte[128]));
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

    /**
     * Digest of an ASCII string (account keys are ASCII by format). Chars are copied into a
     * per-thread buffer and fed in blocks: one {@code update} call per 128 bytes instead of per byte.
     */
    public byte[] digestAscii(CharSequence s) {
        PerThread t = perThread.get();
        Mac mac = t.mac();
        byte[] buf = t.scratch();
        int n = s.length();
        for (int off = 0; off < n; off += buf.length) {
            int len = Math.min(buf.length, n - off);
            for (int i = 0; i < len; i++) {
                buf[i] = (byte) s.charAt(off + i);
            }
            mac.update(buf, 0, len);
        }
        return mac.doFinal();
    }
}
