package dev.bulwark.service.openai;

/**
 * One deployment's requests and tokens over the last minute, in one-second slots (a sliding window
 * accurate to a second). Guarded by its own monitor: a request holds it for a few dozen
 * instructions, and only requests to the same deployment contend.
 */
final class QuotaWindow {
    static final int SLOTS = 60;

    private final long[] second = new long[SLOTS];
    private final long[] requests = new long[SLOTS];
    private final long[] tokens = new long[SLOTS];

    synchronized QuotaDecision acquire(int requestsPerMinute, int tokensPerMinute, long nowSecond) {
        long usedRequests = 0;
        long usedTokens = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (second[i] > nowSecond - SLOTS) {
                usedRequests += requests[i];
                usedTokens += tokens[i];
            }
        }
        if (requestsPerMinute > 0 && usedRequests >= requestsPerMinute) {
            return refuse(usedRequests - requestsPerMinute + 1, requests, nowSecond, "requests", 0,
                    tokensPerMinute > 0 ? Math.max(0, tokensPerMinute - usedTokens) : -1);
        }
        if (tokensPerMinute > 0 && usedTokens >= tokensPerMinute) {
            return refuse(usedTokens - tokensPerMinute + 1, tokens, nowSecond, "tokens",
                    requestsPerMinute > 0 ? requestsPerMinute - usedRequests : -1, 0);
        }
        int slot = slot(nowSecond);
        requests[slot]++;
        return new QuotaDecision(true, requestsPerMinute > 0 ? requestsPerMinute - usedRequests - 1 : -1,
                tokensPerMinute > 0 ? tokensPerMinute - usedTokens : -1, 0, null);
    }

    synchronized void charge(long count, long nowSecond) {
        tokens[slot(nowSecond)] += count;
    }

    /** Oldest slots first: how long until {@code excess} units have left the window. */
    private QuotaDecision refuse(long excess, long[] counts, long nowSecond, String what, long remainingRequests, long remainingTokens) {
        long freed = 0;
        long retryAfter = SLOTS;
        for (long s = nowSecond - SLOTS + 1; s <= nowSecond; s++) {
            int i = (int) Math.floorMod(s, (long) SLOTS);
            if (second[i] == s) {
                freed += counts[i];
                if (freed >= excess) {
                    retryAfter = s + SLOTS - nowSecond;
                    break;
                }
            }
        }
        return new QuotaDecision(false, remainingRequests, remainingTokens, Math.max(1, retryAfter), what);
    }

    private int slot(long nowSecond) {
        int i = (int) Math.floorMod(nowSecond, (long) SLOTS);
        if (second[i] != nowSecond) {
            second[i] = nowSecond;
            requests[i] = 0;
            tokens[i] = 0;
        }
        return i;
    }
}
