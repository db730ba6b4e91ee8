-- The hash-chained audit log (dev.bulwark.audit). One row per record, appended in chain order by a
-- single writer; seq is the rowid, so the chain walk and "newest first" are both primary-key scans.
-- time is the fixed-width UTC form 'uuuu-MM-ddTHH:mm:ss.nnnnnnnnnZ', so text order is time order.
-- hash = SHA-256 over the canonical JSON of the row (dev.bulwark.audit.AuditCanonical).
CREATE TABLE audit_log (
    seq              INTEGER PRIMARY KEY,
    time             TEXT    NOT NULL,
    resource_id      TEXT    NOT NULL,
    operation_name   TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    result_type      TEXT    NOT NULL,
    result_signature TEXT,
    duration_ms      INTEGER NOT NULL,
    caller_ip        TEXT,
    correlation_id   TEXT,
    identity         TEXT,
    properties_json  TEXT    NOT NULL,
    previous_hash    TEXT    NOT NULL,
    hash             TEXT    NOT NULL
);

CREATE INDEX audit_log_time ON audit_log(time);

-- Account filter: resource_id = '/accounts/a' OR resource_id in ['/accounts/a/', '/accounts/a0').
CREATE INDEX audit_log_resource ON audit_log(resource_id);

-- Operation filter is case-insensitive; the index must carry the same collation to be used.
CREATE INDEX audit_log_operation ON audit_log(operation_name COLLATE NOCASE);

-- Append-only for the application. This stops mistakes, not an attacker with the file: the hash
-- chain is what detects tampering.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
