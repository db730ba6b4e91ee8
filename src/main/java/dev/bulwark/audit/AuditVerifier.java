package dev.bulwark.audit;

import java.sql.ResultSet;

/**
 * Walks the chain from sequence 1 and reports the first record that does not hold: a missing sequence
 * (deleted row), a previousHash that is not the previous record's hash (reordered or replaced rows),
 * a hash that does not match the record's contents (edited row), or a stored form that is not the
 * canonical one. Rows are streamed, so the walk needs no memory per record.
 */
final class AuditVerifier {

    private final AuditStore store;

    AuditVerifier(AuditStore store) {
        this.store = store;
    }

    /**
     * @param written the last record this process knows it committed. The chain alone cannot show that
     *                records were cut off its end; comparing with what was written can, while running.
     *                Every record up to it was committed before the walk starts, so the walk must see it.
     */
    VerifyResult verify(ChainHead written) {
        return store.walk(rows -> {
            long expected = 1;
            String previous = AuditCanonical.GENESIS_HASH;
            while (rows.next()) {
                long seq = rows.getLong("seq");
                if (seq != expected) {
                    return new VerifyResult.Broken(expected, "record " + expected + " is missing (next is " + seq + ")");
                }
                VerifyResult broken = check(rows, seq, previous);
                if (broken != null) {
                    return broken;
                }
                previous = rows.getString("hash");
                expected++;
            }
            long count = expected - 1;
            if (count < written.sequence()) {
                return new VerifyResult.Broken(count + 1, "the chain ends at " + count + " but "
                        + written.sequence() + " records were written: records were removed from the end");
            }
            if (count == written.sequence() && !previous.equals(written.hash())) {
                return new VerifyResult.Broken(count, "the last record is not the one that was written");
            }
            return new VerifyResult.Intact(count, previous);
        });
    }

    private static VerifyResult check(ResultSet rows, long seq, String previous) throws java.sql.SQLException {
        StoredAuditRecord stored;
        try {
            stored = AuditStore.read(rows);
        } catch (RuntimeException e) {
            return new VerifyResult.Broken(seq, "record cannot be read: " + e.getMessage());
        }
        if (!previous.equals(stored.previousHash())) {
            return new VerifyResult.Broken(seq, "previousHash is not the hash of record " + (seq - 1));
        }
        // The hash is computed from the parsed record; insist the stored text is the one canonical
        // spelling too, so that no edit hides behind an equivalent form.
        AuditRecord r = stored.record();
        if (!rows.getString("time").equals(AuditCanonical.formatTime(r.time()))
                || !rows.getString("properties_json").equals(AuditCanonical.json(r.properties()))) {
            return new VerifyResult.Broken(seq, "record is not stored in canonical form");
        }
        if (!AuditCanonical.hash(seq, previous, r).equals(stored.hash())) {
            return new VerifyResult.Broken(seq, "hash does not match the record's contents");
        }
        return null;
    }
}
