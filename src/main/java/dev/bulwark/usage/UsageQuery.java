package dev.bulwark.usage;

import java.time.Instant;
import java.util.List;

/**
 * A filter and grouping over the hourly usage table.
 *
 * @param account    null for all; else exactly this account
 * @param deployment null for all; else exactly this deployment
 * @param from       null for no lower bound; else the hourly buckets that end after it, i.e. from the
 *                   bucket holding {@code from} on (buckets overlapping [from, to))
 * @param to         null for no upper bound; else the buckets that start before it
 * @param groupBy    the dimensions rows are grouped by, at least one, each once; the others are summed over
 */
public record UsageQuery(String account, String deployment, Instant from, Instant to, List<UsageDimension> groupBy) {

    /** Larger answers are refused (narrow the range or group by less) rather than silently cut. */
    public static final int MAX_ROWS = 10_000;
    static final int MAX_NAME = 256;

    public UsageQuery {
        if (account != null && (account.isBlank() || account.length() > MAX_NAME)) {
            throw new IllegalArgumentException("account must be a non-blank name of at most " + MAX_NAME + " characters");
        }
        if (deployment != null && (deployment.isBlank() || deployment.length() > MAX_NAME)) {
            throw new IllegalArgumentException("deployment must be a non-blank name of at most " + MAX_NAME + " characters");
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("groupBy needs at least one dimension");
        }
        groupBy = List.copyOf(groupBy);
        if (groupBy.stream().distinct().count() != groupBy.size()) {
            throw new IllegalArgumentException("groupBy names a dimension twice");
        }
    }

    /** Everything, by account and deployment. */
    public static UsageQuery all() {
        return new UsageQuery(null, null, null, null, UsageDimension.DEFAULT_GROUP_BY);
    }

    public boolean groups(UsageDimension d) {
        return groupBy.contains(d);
    }
}
