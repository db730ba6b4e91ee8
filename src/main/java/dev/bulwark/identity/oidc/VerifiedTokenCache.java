package dev.bulwark.identity.oidc;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed every check, so that a client reusing its token (the normal case: an access
 * token lives minutes to an hour) costs a map lookup instead of a signature verification.
 *
 * <p>Choices, for the hot path:
 * <ul>
 *   <li>Keyed by the token text itself. A digest would save memory but costs a SHA-256 over ~1-2 KB on
 *       every request; {@code String.equals} on a hit is a vectorised compare. The verifier caps a
 *       token at 8 KiB, so the bound below caps the memory (4096 x 8 KiB = 32 MiB worst case, ~6 MiB
 *       for typical 1.5 KB tokens).</li>
 *   <li>A hit is re-checked, never trusted blindly: the token must not have expired since
 *       ({@code exp} + leeway against the injected clock), and the issuer's key snapshot must still be
 *       the very one it was verified with; after any JWKS refresh the token is verified again once,
 *       so a key the issuer withdrew stops working at the next refresh.</li>
 *   <li>Bounded without a dependency: when full, expired entries are swept first; if that frees too
 *       little, arbitrary entries are dropped down to 90 %. A dropped entry only costs one
 *       re-verification. Only valid tokens are stored, so garbage cannot push real ones out faster
 *       than valid tokens arrive.</li>
 * </ul>
 */
final class VerifiedTokenCache {
    static final int DEFAULT_MAX_ENTRIES = 4096;

    record Entry(OidcVerdict.Valid verdict, Instant notAfter, JwksSnapshot keys) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final int maxEntries;

    VerifiedTokenCache(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** The entry for {@code token}, unchecked: the verifier re-checks expiry and key snapshot on every hit. */
    Entry lookup(String token) {
        return entries.get(token);
    }

    void remove(String token, Entry entry) {
        entries.remove(token, entry);
    }

    void put(String token, Entry entry, Instant now) {
        if (entries.size() >= maxEntries) {
            evict(now);
        }
        entries.put(token, entry);
    }

    int size() {
        return entries.size();
    }

    private void evict(Instant now) {
        entries.values().removeIf(e -> now.isAfter(e.notAfter()));
        int target = maxEntries - Math.max(1, maxEntries / 10);
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > target && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
