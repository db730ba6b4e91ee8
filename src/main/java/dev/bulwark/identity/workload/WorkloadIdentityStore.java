package dev.bulwark.identity.workload;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** JDBC access to workload identities and their secret digests. Every method runs inside the caller's transaction. */
final class WorkloadIdentityStore {

    enum Slot { CURRENT, PREVIOUS }

    /** One identity row as stored. */
    record Row(UUID id, String name, String publicJwk, Instant createdAt, Instant updatedAt) {
    }

    /** One secret digest as stored; never leaves this package. */
    record StoredSecret(UUID identityId, Slot slot, byte[] digest, Instant createdAt, Instant expiresAt) {
        boolean usableAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    Optional<Row> findByName(Connection c, String name) throws SQLException {
        return one(c, "SELECT id, name, public_jwk, created_at, updated_at FROM workload_identities WHERE name = ?", name);
    }

    Optional<Row> findById(Connection c, UUID id) throws SQLException {
        return one(c, "SELECT id, name, public_jwk, created_at, updated_at FROM workload_identities WHERE id = ?", id.toString());
    }

    List<Row> list(Connection c) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name, public_jwk, created_at, updated_at FROM workload_identities ORDER BY name");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    void insert(Connection c, Row r) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO workload_identities(id, name, public_jwk, created_at, updated_at) VALUES (?,?,?,?,?)")) {
            p.setString(1, r.id().toString());
            p.setString(2, r.name());
            if (r.publicJwk() == null) {
                p.setNull(3, Types.VARCHAR);
            } else {
                p.setString(3, r.publicJwk());
            }
            p.setString(4, r.createdAt().toString());
            p.setString(5, r.updatedAt().toString());
            p.executeUpdate();
        }
    }

    void updatePublicKey(Connection c, UUID id, String publicJwk, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE workload_identities SET public_jwk = ?, updated_at = ? WHERE id = ?")) {
            if (publicJwk == null) {
                p.setNull(1, Types.VARCHAR);
            } else {
                p.setString(1, publicJwk);
            }
            p.setString(2, now.toString());
            p.setString(3, id.toString());
            p.executeUpdate();
        }
    }

    void touch(Connection c, UUID id, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE workload_identities SET updated_at = ? WHERE id = ?")) {
            p.setString(1, now.toString());
            p.setString(2, id.toString());
            p.executeUpdate();
        }
    }

    /** True if the identity existed. Its secrets go with it (ON DELETE CASCADE). */
    boolean delete(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM workload_identities WHERE name = ?")) {
            p.setString(1, name);
            return p.executeUpdate() == 1;
        }
    }

    List<StoredSecret> secrets(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT identity_id, slot, digest, created_at, expires_at FROM workload_secrets WHERE identity_id = ? ORDER BY slot")) {
            p.setString(1, id.toString());
            return secrets(p);
        }
    }

    List<StoredSecret> allSecrets(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT identity_id, slot, digest, created_at, expires_at FROM workload_secrets")) {
            return secrets(p);
        }
    }

    /** The secret row with exactly this digest (digests are unique), whatever its identity. */
    Optional<StoredSecret> secretByDigest(Connection c, byte[] digest) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT identity_id, slot, digest, created_at, expires_at FROM workload_secrets WHERE digest = ?")) {
            p.setBytes(1, digest);
            List<StoredSecret> found = secrets(p);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    void insertSecret(Connection c, StoredSecret s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO workload_secrets(identity_id, slot, digest, created_at, expires_at) VALUES (?,?,?,?,?)")) {
            p.setString(1, s.identityId().toString());
            p.setString(2, s.slot().name());
            p.setBytes(3, s.digest());
            p.setString(4, s.createdAt().toString());
            if (s.expiresAt() == null) {
                p.setNull(5, Types.VARCHAR);
            } else {
                p.setString(5, s.expiresAt().toString());
            }
            p.executeUpdate();
        }
    }

    void deleteSecret(Connection c, UUID id, Slot slot) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM workload_secrets WHERE identity_id = ? AND slot = ?")) {
            p.setString(1, id.toString());
            p.setString(2, slot.name());
            p.executeUpdate();
        }
    }

    /** Moves the CURRENT secret to PREVIOUS, to expire at {@code expiresAt}. */
    void demoteCurrent(Connection c, UUID id, Instant expiresAt) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE workload_secrets SET slot = 'PREVIOUS', expires_at = ? WHERE identity_id = ? AND slot = 'CURRENT'")) {
            p.setString(1, expiresAt.toString());
            p.setString(2, id.toString());
            p.executeUpdate();
        }
    }

    private static Optional<Row> one(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, value);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(UUID.fromString(rs.getString(1)), rs.getString(2), rs.getString(3),
                Instant.parse(rs.getString(4)), Instant.parse(rs.getString(5)));
    }

    private static List<StoredSecret> secrets(PreparedStatement p) throws SQLException {
        List<StoredSecret> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String expires = rs.getString(5);
                out.add(new StoredSecret(UUID.fromString(rs.getString(1)), Slot.valueOf(rs.getString(2)), rs.getBytes(3),
                        Instant.parse(rs.getString(4)), expires == null ? null : Instant.parse(expires)));
            }
        }
        return out;
    }
}
