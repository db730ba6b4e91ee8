package dev.bulwark.usage;

import java.time.Instant;

/**
 * One group of a usage answer. A dimension the query did not group by is null; so is {@code keyId}
 * for calls made without an account key (tell the two apart with {@link UsageQuery#groups}).
 *
 * @param hour the bucket's start (UTC, whole hour)
 */
public record UsageRow(String account, String deployment, String keyId, String principal, Instant hour,
                       long requests, long promptTokens, long completionTokens) {

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
