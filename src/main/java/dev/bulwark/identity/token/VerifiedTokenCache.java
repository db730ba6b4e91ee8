package dev.bulwark.identity.token;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Tokens whose signature and claims have already been checked, by the SHA-256 of the whole token,
 * so that the data plane, which sees the same token many times over its ten minutes, pays for an
 * ECDSA verification once.
 *
 * <p>Why it cannot be used to get around a check:
 * <ul>
 *   <li>Only a token that passed every request-independent check is ever put in (an invalid token
 *       cannot poison it), and what comes out is not a verdict: the caller re-runs every check that
 *       depends on the moment or the request (expiry, nbf, signing key still trusted, account, key
 *       generation, audience) on every hit.</li>
 *   <li>The key is the digest of the entire compact token, compared in full: a token sharing a
 *       prefix, a header and payload, or anything but every byte with a cached one misses, and a
 *       SHA-256 collision is not a practical worry.</li>
 *   <li>No token is kept in memory: only its digest and what it said.</li>
 * </ul>
 *
 * <p>Why this shape: a fixed table of {@code size} slots in buckets of {@value #WAYS} (set-associative,
 * like a CPU cache), the bucket chosen by the digest's first bytes (uniform: it is SHA-256). A
 * direct-mapped table (one slot per bucket) was measured first and lost: by the birthday bound, 1,024
 * live tokens in 16,384 slots already collide often enough that 6% of checks paid for an ECDSA
 * verification again (~50 µs average instead of ~2). With 8 ways a bucket overflows only when more
 * than 8 live tokens land in it, which at the default 32,768 slots and 10,000 live tokens is rare. A
 * newcomer takes an empty or expired way, else the way whose token expires soonest. Reads and writes
 * are volatile reads and writes of immutable entries: no lock, no LRU bookkeeping, bounded memory.
 * Two racing inserts may lose one (that token is verified again on its next use) and nothing worse.
 * Only genuinely signed tokens get in, so nobody without a signing key can churn it.
 */
final class VerifiedTokenCache {
    static final int WAYS = 8;

    private final AtomicReferenceArray<Entry> slots;
    private final int ways;
    private final int bucketMask;

    private record Entry(int tag, byte[] digest, VerifiedToken token) {
    }

    /** {@code size}: a power of two, or 0 for no caching (every check verifies the signature). */
    VerifiedTokenCache(int size) {
        if (size < 0 || Integer.bitCount(size) > 1) {
            throw new IllegalArgumentException("cache size must be 0 or a power of two, got " + size);
        }
        this.slots = new AtomicReferenceArray<>(size);
        this.ways = Math.min(WAYS, size);
        this.bucketMask = size == 0 ? -1 : size / ways - 1;
    }

    VerifiedToken get(byte[] digest) {
        if (bucketMask < 0) {
            return null;
        }
        int base = (bucket(digest) & bucketMask) * ways;
        int tag = tag(digest);
        for (int w = 0; w < ways; w++) {
            Entry e = slots.get(base + w);
            if (e != null && e.tag() == tag && MessageDigest.isEqual(e.digest(), digest)) {
                return e.token();
            }
        }
        return null;
    }

    void put(byte[] digest, VerifiedToken token, Instant now) {
        if (bucketMask < 0) {
            return;
        }
        int base = (bucket(digest) & bucketMask) * ways;
        int tag = tag(digest);
        int victim = base;
        Instant soonest = Instant.MAX;
        for (int w = 0; w < ways; w++) {
            Entry e = slots.get(base + w);
            if (e == null || !now.isBefore(e.token().acceptUntil())) {
                victim = base + w;
                break;
            }
            if (e.tag() == tag && MessageDigest.isEqual(e.digest(), digest)) {
                return; // another thread got there first
            }
            if (e.token().acceptUntil().isBefore(soonest)) {
                soonest = e.token().acceptUntil();
                victim = base + w;
            }
        }
        slots.set(victim, new Entry(tag, digest, token));
    }

    private static int bucket(byte[] d) {
        return (d[0] & 0xFF) << 24 | (d[1] & 0xFF) << 16 | (d[2] & 0xFF) << 8 | (d[3] & 0xFF);
    }

    private static int tag(byte[] d) {
        return (d[4] & 0xFF) << 24 | (d[5] & 0xFF) << 16 | (d[6] & 0xFF) << 8 | (d[7] & 0xFF);
    }
}
