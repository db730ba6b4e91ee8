package dev.bulwark.identity.workload;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Remembers the {@code jti} of every accepted client assertion until the assertion expires, so that a
 * captured assertion cannot be used twice. Bounded: when full of unexpired entries it refuses new
 * assertions rather than forget one (forgetting would re-open replay). Only assertions with a valid
 * signature from a registered key get here, so only registered clients can fill it, each entry for
 * at most the assertion lifetime. In memory, per node: a cluster would need the table in the shared database.
 */
final class ReplayCache {
    enum Verdict { FIRST_USE, REPLAYED, FULL }

    private final int capacity;
    private final Map<String, Instant> seen = new HashMap<>();

    ReplayCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /** Records {@code clientId}/{@code jti} until {@code forgetAfter}; says whether it was new. */
    synchronized Verdict record(String clientId, String jti, Instant forgetAfter, Instant now) {
        String key = clientId.length() + ":" + clientId + jti; // length-prefixed: no two (client, jti) pairs share a key
        Instant until = seen.get(key);
        if (until != null && now.isBefore(until)) {
            return Verdict.REPLAYED;
        }
        if (until == null && seen.size() >= capacity) {
            purge(now);
            if (seen.size() >= capacity) {
                return Verdict.FULL;
            }
        }
        seen.put(key, forgetAfter);
        return Verdict.FIRST_USE;
    }

    synchronized int size() {
        return seen.size();
    }

    private void purge(Instant now) {
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
            if (!now.isBefore(it.next())) {
                it.remove();
            }
        }
    }
}
