package dev.bulwark.identity.workload;

import dev.bulwark.crypto.ChecksummedSecretFormat;

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
    private static final ChecksummedSecretFormat FORMAT = new ChecksummedSecretFormat(PREFIX);
    public static final int LENGTH = FORMAT.length();

    private ClientSecretFormat() {
    }

    /** A new secret with 256 bits from SecureRandom. */
    static IssuedSecret generate() {
        return new IssuedSecret(FORMAT.generate());
    }

    /** True when {@code secret} has the prefix, length, alphabet and checksum of a client secret. Allocation-free. */
    public static boolean isWellFormed(CharSequence secret) {
        return FORMAT.isWellFormed(secret);
    }
}
