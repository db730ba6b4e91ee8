package dev.bulwark.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Unwrapped data keys kept briefly, so reading an object does not cost a vault or HSM round trip
 * each time. Bounded (least recently used goes first) and short-lived; an entry is found by the
 * SHA-256 of (key reference, wrapped key, associated data), never by anything derived from the
 * plaintext key. Revocation calls {@link #invalidate} or {@link #invalidateAll}, which drop entries
 * at once: the next read goes to the provider and sees the denial. Evicted key bytes are zeroed.
 *
 * <p>Thread-safe: one lock around a small map. The provider call on a miss runs outside the lock (a
 * slow HSM must not stall every reader); an epoch counter stops a miss that raced an invalidation
 * from putting a key back that was just revoked.
 */
public final class DataKeyCache {
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<Fingerprint, Cached> entries;
    private long epoch;

    private DataKeyCache(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        if (maxEntries < 0 || ttl == null || ttl.isNegative() || nanoTime == null) {
            throw new IllegalArgumentException("data key cache needs a size >= 0, a TTL >= 0 and a clock");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Fingerprint, Cached> eldest) {
                if (size() > DataKeyCache.this.maxEntries) {
                    eldest.getValue().destroy();
                    return true;
                }
                return false;
            }
        };
    }

    /** {@value #DEFAULT_MAX_ENTRIES} entries, 60 seconds. */
    public static DataKeyCache withDefaults() {
        return new DataKeyCache(DEFAULT_MAX_ENTRIES, DEFAULT_TTL, System::nanoTime);
    }

    /** A TTL of zero (or a size of zero) turns caching off. */
    public static DataKeyCache create(int maxEntries, Duration ttl) {
        return new DataKeyCache(maxEntries, ttl, System::nanoTime);
    }

    /** With an injected clock ({@link System#nanoTime()} semantics), for tests. */
    public static DataKeyCache create(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        return new DataKeyCache(maxEntries, ttl, nanoTime);
    }

    public static DataKeyCache disabled() {
        return new DataKeyCache(0, Duration.ZERO, System::nanoTime);
    }

    public boolean enabled() {
        return maxEntries > 0 && ttlNanos > 0;
    }

    /**
     * The data key {@code wrappedKey} holds: from the cache while fresh, else from
     * {@code provider.unwrap} (whose exceptions pass through untouched). The caller owns the returned
     * array and may zero it.
     */
    public byte[] unwrap(KeyProvider provider, KeyReference key, byte[] wrappedKey, byte[] associatedData) {
        if (!enabled()) {
            return provider.unwrap(key, wrappedKey, associatedData);
        }
        Fingerprint fp = Fingerprint.of(key, wrappedKey, associatedData);
        long seenEpoch;
        synchronized (this) {
            Cached e = entries.get(fp);
            if (e != null) {
                if (nanoTime.getAsLong() - e.createdAt < ttlNanos) {
                    return e.key.clone();
                }
                entries.remove(fp);
                e.destroy();
            }
            seenEpoch = epoch;
        }
        byte[] dataKey = provider.unwrap(key, wrappedKey, associatedData);
        synchronized (this) {
            if (epoch == seenEpoch) {
                Cached old = entries.put(fp, new Cached(key, dataKey.clone(), nanoTime.getAsLong()));
                if (old != null) {
                    old.destroy();
                }
            }
        }
        return dataKey;
    }

    /** Drops every entry unwrapped with this key version. */
    public void invalidate(KeyReference key) {
        drop(e -> e.ref.equals(key));
    }

    /** Drops every entry of every version of the named key. */
    public void invalidateAll(KeySource source, String keyName) {
        drop(e -> e.ref.source() == source && e.ref.name().equals(keyName));
    }

    public void clear() {
        drop(e -> true);
    }

    public synchronized int size() {
        return entries.size();
    }

    private synchronized void drop(Predicate<Cached> which) {
        epoch++;
        for (Iterator<Cached> it = entries.values().iterator(); it.hasNext(); ) {
            Cached e = it.next();
            if (which.test(e)) {
                e.destroy();
                it.remove();
            }
        }
    }

    @Override
    public String toString() {
        return "DataKeyCache[max=" + maxEntries + ", ttl=" + Duration.ofNanos(ttlNanos) + "]";
    }

    private static final class Cached {
        final KeyReference ref;
        final byte[] key;
        final long createdAt;

        Cached(KeyReference ref, byte[] key, long createdAt) {
            this.ref = ref;
            this.key = key;
            this.createdAt = createdAt;
        }

        void destroy() {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A SHA-256 as four longs: cheap equals and hashCode, no array identity pitfalls. */
    private record Fingerprint(long a, long b, long c, long d) {
        static Fingerprint of(KeyReference key, byte[] wrappedKey, byte[] associatedData) {
            MessageDigest sha;
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 unavailable", e);
            }
            // Length-prefixed parts, so no two different triples hash the same input.
            for (byte[] part : new byte[][] {key.toString().getBytes(StandardCharsets.US_ASCII), wrappedKey, associatedData}) {
                sha.update(ByteBuffer.allocate(4).putInt(part.length).array());
                sha.update(part);
            }
            ByteBuffer h = ByteBuffer.wrap(sha.digest());
            return new Fingerprint(h.getLong(), h.getLong(), h.getLong(), h.getLong());
        }
    }
}
