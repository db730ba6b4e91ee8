package dev.bulwark.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Bulwark's format for secrets people handle (account keys, workload client secrets): a
 * recognisable prefix + 43 base62 characters (256 random bits) + 6 base62 characters of CRC-32 over
 * everything before them.
 *
 * <p>Why: the prefix lets people and secret scanners recognise a leaked secret and tell its kind;
 * the checksum lets Bulwark refuse typos and made-up values before any lookup (the design of
 * GitHub's {@code ghp_} tokens). The checksum is not a security control; the keyed digest is.
 */
public final class ChecksummedSecretFormat {
    private static final int RANDOM_CHARS = 43;
    private static final int CHECKSUM_CHARS = 6;
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int[] CRC_TABLE = crcTable();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final int length;

    public ChecksummedSecretFormat(String prefix) {
        this.prefix = prefix;
        this.length = prefix.length() + RANDOM_CHARS + CHECKSUM_CHARS;
    }

    public String prefix() {
        return prefix;
    }

    public int length() {
        return length;
    }

    /** A new secret with 256 bits from SecureRandom. */
    public String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String body = prefix + base62(new BigInteger(1, bytes), RANDOM_CHARS);
        int crc = crc32(body, body.length());
        return body + base62(BigInteger.valueOf(crc & 0xFFFFFFFFL), CHECKSUM_CHARS);
    }

    /**
     * True when {@code s} has the prefix, length, alphabet and checksum of this format.
     * Allocation-free: it runs on every data-plane request before the digest lookup.
     */
    public boolean isWellFormed(CharSequence s) {
        if (s == null || s.length() != length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        for (int i = prefix.length(); i < length; i++) {
            if (value(s.charAt(i)) < 0) {
                return false;
            }
        }
        long expected = 0;
        for (int i = length - CHECKSUM_CHARS; i < length; i++) {
            expected = expected * 62 + value(s.charAt(i));
        }
        return expected == (crc32(s, length - CHECKSUM_CHARS) & 0xFFFFFFFFL);
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
