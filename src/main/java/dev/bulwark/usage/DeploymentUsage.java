package dev.bulwark.usage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One (account, deployment): its totals since start, for Prometheus, and its cells by key id, then
 * principal. Nested maps rather than one map keyed by a (key, principal) record so that looking up a
 * known cell allocates nothing: every level is a get() with a String, whose hash is cached.
 */
final class DeploymentUsage {
    final String account;
    final String deployment;

    final LongAdder requests = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();

    /** key id ({@link UsageRecorder#NO_KEY} for none) -> principal -> cell. */
    final ConcurrentHashMap<String, ConcurrentHashMap<String, UsageCell>> cells = new ConcurrentHashMap<>();

    DeploymentUsage(String account, String deployment) {
        this.account = account;
        this.deployment = deployment;
    }

    void add(long prompt, long completion) {
        requests.increment();
        promptTokens.add(prompt);
        completionTokens.add(completion);
    }
}
