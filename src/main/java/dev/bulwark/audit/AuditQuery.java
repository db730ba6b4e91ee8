package dev.bulwark.audit;

import java.time.Instant;

/**
 * A filter over the audit log; results come newest first (highest sequence first).
 *
 * @param account   null for all; else records whose resourceId is {@code /accounts/{account}} or starts
 *                  with {@code /accounts/{account}/} (so "a" never matches "ab"); exact, case-sensitive
 * @param operation null for all; else operationName equal to it, ignoring ASCII case
 * @param since     null for no lower bound; else records with time at or after it (inclusive)
 * @param until     null for no upper bound; else records with time before it (exclusive)
 * @param limit     1 ... 1000
 */
public record AuditQuery(String account, String operation, Instant since, Instant until, int limit) {

    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
        }
        if (account != null && (account.isBlank() || account.indexOf('/') >= 0)) {
            throw new IllegalArgumentException("account must be a non-blank name without '/'");
        }
        if (operation != null && operation.isBlank()) {
            throw new IllegalArgumentException("operation must not be blank");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until");
        }
    }

    /** The newest {@code limit} records, unfiltered. */
    public static AuditQuery latest(int limit) {
        return new AuditQuery(null, null, null, null, limit);
    }
}
