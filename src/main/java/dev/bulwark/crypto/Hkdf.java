package dev.bulwark.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** HKDF-SHA256 (RFC 5869): one root key, many independent purpose keys. */
final class Hkdf {
    private Hkdf() {
    }

    static byte[] derive(byte[] rootKey, String purpose, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(new byte[32], "HmacSHA256")); // RFC 5869: zero salt when none
            byte[] prk = mac.doFinal(rootKey);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] info = purpose.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[length];
            byte[] t = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(t.length, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
