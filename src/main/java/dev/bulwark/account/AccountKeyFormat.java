package dev.bulwark.account;

import dev.bulwark.crypto.ChecksummedSecretFormat;

/**
 * The account key format: {@code bwk_} + 43 base62 characters (256 random bits) + 6 base62
 * characters of CRC-32 ({@link ChecksummedSecretFormat}). 53 characters in all.
 */
public final class AccountKeyFormat {
    public static final String PREFIX = "bwk_";
    private static final ChecksummedSecretFormat FORMAT = new ChecksummedSecretFormat(PREFIX);
    public static final int LENGTH = FORMAT.length();

    private AccountKeyFormat() {
    }

    /** A new key with 256 bits from SecureRandom. */
    public static String generate() {
        return FORMAT.generate();
    }

    /**
     * True when {@code value} claims to be an account key (it has the prefix). A JWT can never
     * start so ({@code eyJ...}), which is how a bearer value is told apart; the full check is
     * {@link #isWellFormed}.
     */
    public static boolean looksLikeKey(String value) {
        return value.startsWith(PREFIX);
    }

    /** True when {@code key} has the prefix, length, alphabet and checksum of a Bulwark key. Allocation-free. */
    public static boolean isWellFormed(CharSequence key) {
        return FORMAT.isWellFormed(key);
    }
}
