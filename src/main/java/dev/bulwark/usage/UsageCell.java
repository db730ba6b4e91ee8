package dev.bulwark.usage;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one (account, deployment, key, principal) since start, and how much of them the
 * database already holds. The counters only grow; a flush writes {@code sum - flushed} and, once
 * committed, moves {@code flushed} up by exactly what it wrote. So a failed write leaves its delta
 * in place for the next flush, and nothing recorded meanwhile is touched: no reset, no adding back.
 */
final class UsageCell {
    final String account;
    final String deployment;
    /** {@link UsageRecorder#NO_KEY} when the call did not use an account key. */
    final String keyId;
    final String principal;

    final LongAdder requests = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();

    // Read and written only by UsageFlusher.flush(), which holds the flusher's lock.
    long flushedRequests;
    long flushedPromptTokens;
    long flushedCompletionTokens;

    UsageCell(String account, String deployment, String keyId, String principal) {
        this.account = account;
        this.deployment = deployment;
        this.keyId = keyId;
        this.principal = principal;
    }

    void add(long prompt, long completion) {
        requests.increment();
        promptTokens.add(prompt);
        completionTokens.add(completion);
    }
}
