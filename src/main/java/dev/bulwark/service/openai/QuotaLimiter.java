package dev.bulwark.service.openai;

import dev.bulwark.snapshot.DeploymentView;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests-per-minute and tokens-per-minute quotas per deployment. A request is counted when it is
 * let through; its tokens when the upstream's answer reports them (so the token limit refuses the
 * request after the one that crossed it, as Azure's does for streamed answers). Counts live in
 * this node's memory: with several nodes, each enforces the limit on its own share.
 */
public final class QuotaLimiter {
    /** account -> deployment -> window: two lookups, no key to build per request. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, QuotaWindow>> windows = new ConcurrentHashMap<>();
    private final LongSupplier clockMillis;

    public QuotaLimiter(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    public QuotaDecision acquire(DeploymentView d) {
        if (d.requestsPerMinute() == 0 && d.tokensPerMinute() == 0) {
            return QuotaDecision.UNLIMITED;
        }
        return window(d).acquire(d.requestsPerMinute(), d.tokensPerMinute(), clockMillis.getAsLong() / 1000);
    }

    public void charge(DeploymentView d, long tokens) {
        if (d.tokensPerMinute() > 0 && tokens > 0) {
            window(d).charge(tokens, clockMillis.getAsLong() / 1000);
        }
    }

    private QuotaWindow window(DeploymentView d) {
        ConcurrentHashMap<String, QuotaWindow> byName = windows.get(d.account());
        if (byName == null) {
            byName = windows.computeIfAbsent(d.account(), k -> new ConcurrentHashMap<>());
        }
        QuotaWindow w = byName.get(d.name());
        return w != null ? w : byName.computeIfAbsent(d.name(), k -> new QuotaWindow());
    }
}
