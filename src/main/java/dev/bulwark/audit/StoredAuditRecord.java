package dev.bulwark.audit;

import java.util.Objects;

/** A record as it sits in the chain: its sequence number (from 1), the previous record's hash, its own. */
public record StoredAuditRecord(long sequence, AuditRecord record, String previousHash, String hash) {

    public StoredAuditRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1: " + sequence);
        }
    }
}
