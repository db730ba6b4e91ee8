package dev.bulwark.audit;

import dev.bulwark.store.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/** Records and database handles for the audit tests. */
final class TestRecords {

    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private TestRecords() {
    }

    static AuditRecord record(String resourceId, String operation, Instant time, String correlationId) {
        return new AuditRecord(time, resourceId, operation, AuditRecord.CATEGORY_AUDIT, AuditRecord.SUCCEEDED,
                "200", 7, "10.0.0.1", correlationId, "user:alice", Map.of("keyName", "key1"));
    }

    static AuditRecord record(String correlationId) {
        return record("/accounts/a", "Microsoft.CognitiveServices/accounts/write", T0, correlationId);
    }

    static Path dbFile(Path dir) {
        return dir.resolve("bulwark.db");
    }

    static Database open(Path dir) {
        return Database.openSqlite(dbFile(dir));
    }

    /** A plain connection outside the pool, standing in for someone with access to the file. */
    static Connection raw(Path dir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dbFile(dir).toAbsolutePath());
    }

    /** Runs SQL as an attacker who has the file: the append-only triggers are dropped first. */
    static void tamper(Path dir, String sql) throws SQLException {
        try (Connection c = raw(dir); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER IF EXISTS audit_log_no_update");
            s.execute("DROP TRIGGER IF EXISTS audit_log_no_delete");
            s.execute(sql);
        }
    }

    static long count(Path dir, String sql) throws SQLException {
        try (Connection c = raw(dir); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
