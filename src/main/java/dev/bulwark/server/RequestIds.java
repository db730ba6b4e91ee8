package dev.bulwark.server;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids in UUID v4 form. They must be unique, not unguessable, so they come from
 * ThreadLocalRandom: {@code UUID.randomUUID()} draws on one shared SecureRandom, a lock (and, with
 * NativePRNG, a read of /dev/urandom) on every request.
 */
public final class RequestIds {
    private RequestIds() {
    }

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L; // version 4
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }
}
