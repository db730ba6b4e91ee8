package dev.bulwark.identity.workload;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The workload client secret format: {@code bwcs_} + 43 base62 characters (256 random bits) + 6
 * base62 characters of CRC-32 over everything before them. 54 characters in all.
 *
 * <p>Why: the same design as account keys ({@code account.AccountKeyFormat}), with its own prefix so
 * that people and secret scanners can tell a leaked client secret from a leaked account key. The
 * checksum lets the token endpoints refuse typos and made-up secrets before any lookup; it is not a
 * security control, the keyed digest is.
 */
public final class ClientSecretFormat {
    public static final String PREFIX = "bwcs_";
    static final int RANDOM_CHARS = 43;
    static final int CHECKSUM_CHARS = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int[] CRC_TABLE = crcTable();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientSecretFormat() {
    }

    /** A new secret with 256 bits from SecureRandom. */
    static IssuedSecret generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String body = PREFIX + base62(new BigInteger(1, bytes), RANDOM_CHARS);
        int crc = crc32(body, body.length());
        return new IssuedSecret(body + base62(BigInteger.valueOf(crc & 0xFFFFFFFFL), CHECKSUM_CHARS));
    }

    /** True when {@code secret} has the prefix, length, alphabet and checksum of a client secret. Allocation-free. */
    public static boolean isWellFormed(CharSequence secret) {
        if (secret == null || secret.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            if (secret.charAt(i) != PREFIX.charAt(i)) {
                return false;
            }
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (value(secret.charAt(i)) < 0) {
                return false;
            }
        }
        long expected = 0;
        for (int i = LENGTH - CHECKSUM_CHARS; i < LENGTH; i++) {
            expected = expected * 62 + value(secret.charAt(i));
        }
        return expected == (crc32(secret, LENGTH - CHECKSUM_CHARS) & 0xFFFFFFFFL);
    }

    private static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 36;
        }
        return -1;
    }

    private static String base62(BigInteger n, int width) {
        char[] out = new char[width];
        BigInteger base = BigInteger.valueOf(62);
        for (int i = width - 1; i >= 0; i--) {
            BigInteger[] qr = n.divideAndRemainder(base);
            out[i] = ALPHABET[qr[1].intValue()];
            n = qr[0];
        }
        if (n.signum() != 0) {
            throw new IllegalStateException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }

    /** CRC-32 (IEEE) over the first {@code n} chars, each taken as one byte (the format is ASCII). */
    private static int crc32(CharSequence s, int n) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < n; i++) {
            crc = CRC_TABLE[(crc ^ s.charAt(i)) & 0xFF] ^ (crc >>> 8);
        }
        return ~crc;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            table[i] = c;
        }
        return table;
    }
}
