package dev.bulwark.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.store.Database;
import dev.bulwark.store.StoreException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL for the {@code audit_log} table (V2__audit.sql). Blocking: never call it on an event loop. */
final class AuditStore {

    static final String COLUMNS = "seq, time, resource_id, operation_name, category, result_type, "
            + "result_signature, duration_ms, caller_ip, correlation_id, identity, properties_json, "
            + "previous_hash, hash";

    // Integers as long (never Integer/BigInteger surprises); a duplicated key is an error, not "last wins".
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Database db;

    AuditStore(Database db) {
        this.db = db;
    }

    /** Inserts chained rows on the caller's transaction. */
    static void insert(Connection c, List<StoredAuditRecord> rows) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_log(" + COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (StoredAuditRecord row : rows) {
                AuditRecord r = row.record();
                p.setLong(1, row.sequence());
                p.setString(2, AuditCanonical.formatTime(r.time()));
                p.setString(3, r.resourceId());
                p.setString(4, r.operationName());
                p.setString(5, r.category());
                p.setString(6, r.resultType());
                setNullable(p, 7, r.resultSignature());
                p.setLong(8, r.durationMs());
                setNullable(p, 9, r.callerIpAddress());
                setNullable(p, 10, r.correlationId());
                setNullable(p, 11, r.identity());
                p.setString(12, AuditCanonical.json(r.properties()));
                p.setString(13, row.previousHash());
                p.setString(14, row.hash());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The last stored record, or GENESIS for an empty log. */
    ChainHead readHead() {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? new ChainHead(rs.getLong(1), rs.getString(2)) : ChainHead.GENESIS;
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit chain head: " + e.getMessage(), e);
        }
    }

    List<StoredAuditRecord> query(AuditQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (q.account() != null) {
            // "/accounts/a" itself, or anything in ["/accounts/a/", "/accounts/a0"): '0' is the byte
            // after '/', so the range is exactly the "/accounts/a/" prefix, compared bytewise (BINARY
            // collation, index-friendly) and without LIKE's ASCII case folding or wildcards.
            String resource = "/accounts/" + q.account();
            sql.append(" AND (resource_id = ? OR (resource_id >= ? AND resource_id < ?))");
            args.add(resource);
            args.add(resource + "/");
            args.add(resource + "0");
        }
        if (q.operation() != null) {
            sql.append(" AND operation_name = ? COLLATE NOCASE");
            args.add(q.operation());
        }
        // Stored times are within the years 0000-9999; bounds outside that range are clamped rather
        // than formatted (the fixed-width form has no text for them).
        if (q.since() != null && q.since().isAfter(AuditRecord.EARLIEST)) {
            if (q.since().isAfter(AuditRecord.LATEST)) {
                return List.of();
            }
            sql.append(" AND time >= ?");
            args.add(AuditCanonical.formatTime(q.since()));
        }
        if (q.until() != null) {
            if (!q.until().isAfter(AuditRecord.EARLIEST)) {
                return List.of();
            }
            if (!q.until().isAfter(AuditRecord.LATEST)) {
                sql.append(" AND time < ?");
                args.add(AuditCanonical.formatTime(q.until()));
            }
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add(q.limit());
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                p.setObject(i + 1, args.get(i));
            }
            List<StoredAuditRecord> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    try {
                        out.add(read(rs));
                    } catch (RuntimeException e) {
                        throw new StoreException("audit record " + seq + " cannot be read (run audit verify): "
                                + e.getMessage(), e);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot query the audit log: " + e.getMessage(), e);
        }
    }

    /** Every row in sequence order, streamed, for the chain walk. */
    <T> T walk(SqlRows<T> work) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
            p.setFetchSize(500);
            try (ResultSet rs = p.executeQuery()) {
                return work.run(rs);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit log: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface SqlRows<T> {
        T run(ResultSet rows) throws SQLException;
    }

    /**
     * One row back into a record. Throws IllegalArgumentException or DateTimeException when a field no
     * longer makes a valid record, which only happens to a row changed outside Bulwark.
     */
    static StoredAuditRecord read(ResultSet rs) throws SQLException {
        AuditRecord record = new AuditRecord(
                AuditCanonical.parseTime(rs.getString("time")),
                rs.getString("resource_id"),
                rs.getString("operation_name"),
                rs.getString("category"),
                rs.getString("result_type"),
                rs.getString("result_signature"),
                rs.getLong("duration_ms"),
                rs.getString("caller_ip"),
                rs.getString("correlation_id"),
                rs.getString("identity"),
                parseProperties(rs.getString("properties_json")));
        return new StoredAuditRecord(rs.getLong("seq"), record, rs.getString("previous_hash"), rs.getString("hash"));
    }

    private static Map<String, Object> parseProperties(String json) {
        if (json == null) {
            throw new IllegalArgumentException("properties are missing");
        }
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("properties are not a JSON object");
        }
    }

    private static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }
}
