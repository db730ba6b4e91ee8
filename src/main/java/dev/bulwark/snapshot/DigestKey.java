package dev.bulwark.snapshot;

import java.security.MessageDigest;

/**
 * A keyed digest as a hash-map key. Equality is constant-time; the hash is the digest's first four
 * bytes, which are uniformly distributed because the digest is an HMAC output.
 */
public final class DigestKey {
    private final byte[] digest;
    private final int hash;

    public DigestKey(byte[] digest) {
        this.digest = digest;
        this.hash = (digest[0] & 0xFF) << 24 | (digest[1] & 0xFF) << 16 | (digest[2] & 0xFF) << 8 | (digest[3] & 0xFF);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DigestKey other && MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public String toString() {
        return "DigestKey[****]";
    }
}
