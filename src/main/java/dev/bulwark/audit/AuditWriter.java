package dev.bulwark.audit;

import dev.bulwark.store.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * Chains a batch onto the head and inserts it in one transaction. Used only by the AuditLog writer
 * thread, so the head needs no locking; it is volatile only so that verify() on another thread sees
 * what was committed. Assumes it is the only writer of the table (one AuditLog per database).
 */
final class AuditWriter {

    private final Database db;
    private final AuditStore store;
    private volatile ChainHead head;

    AuditWriter(Database db, AuditStore store) {
        this.db = db;
        this.store = store;
        this.head = store.readHead();
    }

    ChainHead head() {
        return head;
    }

    /** Returns only once the whole batch is committed; throws (head unchanged) if it is not. */
    void write(List<AuditRecord> records) {
        List<StoredAuditRecord> rows = chain(head, records);
        StoredAuditRecord last = rows.getLast();
        try {
            db.inTransaction(c -> {
                AuditStore.insert(c, rows);
                return null;
            });
        } catch (RuntimeException e) {
            if (!committedAnyway(last)) {
                throw e;
            }
        }
        head = new ChainHead(last.sequence(), last.hash());
    }

    /**
     * A failure reported after the commit reached the disk (a lost connection on the way back) must
     * not make the retry insert the batch twice. The last row's hash settles it: it covers the whole
     * chain, so equal means our batch is there. Any other head is left alone: adopting it would hide
     * rows cut off the end, and retrying on our own head makes that visible to verify instead.
     */
    private boolean committedAnyway(StoredAuditRecord last) {
        try {
            return store.readHead().equals(new ChainHead(last.sequence(), last.hash()));
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    private static List<StoredAuditRecord> chain(ChainHead from, List<AuditRecord> records) {
        List<StoredAuditRecord> rows = new ArrayList<>(records.size());
        long seq = from.sequence();
        String previous = from.hash();
        for (AuditRecord r : records) {
            seq++;
            String hash = AuditCanonical.hash(seq, previous, r);
            rows.add(new StoredAuditRecord(seq, r, previous, hash));
            previous = hash;
        }
        return rows;
    }
}
