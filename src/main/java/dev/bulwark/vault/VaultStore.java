package dev.bulwark.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bulwark.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** JDBC access to vault items and versions. Every method runs inside the caller's transaction. */
final class VaultStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String VERSION_COLUMNS = "version, sealed, content_type, key_type, key_size, public_key, enabled, "
            + "not_before, expires, created_at, updated_at, tags";

    /** A name of one kind, and whether (since when) it is soft-deleted. */
    record Item(long id, VaultItemKind kind, String name, Optional<DeletedItem> deleted) {
    }

    Optional<Item> item(Connection c, VaultItemKind kind, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name, deleted_at, scheduled_purge_at FROM vault_items WHERE kind = ? AND name = ?")) {
            p.setString(1, kind.column());
            p.setString(2, name);
            List<Item> found = items(p, kind);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Live (deleted = false) or soft-deleted items of a kind, by name. */
    List<Item> items(Connection c, VaultItemKind kind, boolean deleted) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, name, deleted_at, scheduled_purge_at FROM vault_items WHERE kind = ? AND "
                + (deleted ? "deleted_at IS NOT NULL" : "deleted_at IS NULL") + " ORDER BY name COLLATE NOCASE")) {
            p.setString(1, kind.column());
            return items(p, kind);
        }
    }

    /** Soft-deleted items whose purge date has come. */
    List<Item> dueForPurge(Connection c, Instant now) throws SQLException {
        List<Item> out = new ArrayList<>();
        for (VaultItemKind kind : VaultItemKind.values()) {
            try (PreparedStatement p = c.prepareStatement("SELECT id, name, deleted_at, scheduled_purge_at FROM vault_items "
                    + "WHERE kind = ? AND scheduled_purge_at IS NOT NULL AND scheduled_purge_at <= ?")) {
                p.setString(1, kind.column());
                p.setLong(2, now.getEpochSecond());
                out.addAll(items(p, kind));
            }
        }
        return out;
    }

    long createItem(Connection c, VaultItemKind kind, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO vault_items(kind, name) VALUES (?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, kind.column());
            p.setString(2, name);
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("no id for the new vault item");
                }
                return keys.getLong(1);
            }
        }
    }

    void setDeleted(Connection c, long itemId, DeletedItem deleted) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE vault_items SET deleted_at = ?, scheduled_purge_at = ? WHERE id = ?")) {
            if (deleted == null) {
                p.setNull(1, Types.INTEGER);
                p.setNull(2, Types.INTEGER);
            } else {
                p.setLong(1, deleted.deletedDate().getEpochSecond());
                p.setLong(2, deleted.scheduledPurgeDate().getEpochSecond());
            }
            p.setLong(3, itemId);
            p.executeUpdate();
        }
    }

    /** Removes the item and every version for good. */
    void purge(Connection c, long itemId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM vault_versions WHERE item_id = ?")) {
            p.setLong(1, itemId);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM vault_items WHERE id = ?")) {
            p.setLong(1, itemId);
            p.executeUpdate();
        }
    }

    void insertVersion(Connection c, long itemId, VaultVersion v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO vault_versions(item_id, " + VERSION_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            p.setLong(1, itemId);
            p.setString(2, v.version());
            p.setBytes(3, v.sealed());
            setOptional(p, 4, v.contentType());
            setOptional(p, 5, v.keyType());
            p.setInt(6, v.keySize());
            if (v.publicKey().isPresent()) {
                p.setBytes(7, v.publicKey().get());
            } else {
                p.setNull(7, Types.BLOB);
            }
            setAttributes(p, 8, v.attributes());
            p.setLong(11, v.attributes().created().getEpochSecond());
            p.setLong(12, v.attributes().updated().getEpochSecond());
            p.setString(13, tagsJson(v.tags()));
            p.executeUpdate();
        }
    }

    /** Rewrites a version's attributes, tags and content type (never its value). */
    void updateVersion(Connection c, long itemId, VaultVersion v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE vault_versions SET enabled = ?, not_before = ?, expires = ?, "
                + "updated_at = ?, tags = ?, content_type = ? WHERE item_id = ? AND version = ?")) {
            setAttributes(p, 1, v.attributes());
            p.setLong(4, v.attributes().updated().getEpochSecond());
            p.setString(5, tagsJson(v.tags()));
            setOptional(p, 6, v.contentType());
            p.setLong(7, itemId);
            p.setString(8, v.version());
            p.executeUpdate();
        }
    }

    Optional<VaultVersion> version(Connection c, Item item, String version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM vault_versions WHERE item_id = ? AND version = ?")) {
            p.setLong(1, item.id());
            p.setString(2, version);
            List<VaultVersion> found = versions(p, item);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The current version: the one created last. */
    Optional<VaultVersion> latest(Connection c, Item item) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM vault_versions WHERE item_id = ? "
                + "ORDER BY seq DESC LIMIT 1")) {
            p.setLong(1, item.id());
            List<VaultVersion> found = versions(p, item);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** Every version, oldest first. */
    List<VaultVersion> versions(Connection c, Item item) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM vault_versions WHERE item_id = ? ORDER BY seq")) {
            p.setLong(1, item.id());
            return versions(p, item);
        }
    }

    private static List<Item> items(PreparedStatement p, VaultItemKind kind) throws SQLException {
        List<Item> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                long deletedAt = r.getLong(3);
                boolean deleted = !r.wasNull();
                long purgeAt = r.getLong(4);
                out.add(new Item(r.getLong(1), kind, r.getString(2), deleted
                        ? Optional.of(new DeletedItem(Instant.ofEpochSecond(deletedAt), Instant.ofEpochSecond(purgeAt)))
                        : Optional.empty()));
            }
        }
        return out;
    }

    private static List<VaultVersion> versions(PreparedStatement p, Item item) throws SQLException {
        List<VaultVersion> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                VaultAttributes a = new VaultAttributes(r.getInt(7) != 0, epoch(r, 8), epoch(r, 9),
                        Instant.ofEpochSecond(r.getLong(10)), Instant.ofEpochSecond(r.getLong(11)));
                out.add(new VaultVersion(item.kind(), item.name(), r.getString(1), r.getBytes(2), Optional.ofNullable(r.getString(3)),
                        Optional.ofNullable(r.getString(4)), r.getInt(5), Optional.ofNullable(r.getBytes(6)), a, parseTags(r.getString(12))));
            }
        }
        return out;
    }

    private static void setAttributes(PreparedStatement p, int first, VaultAttributes a) throws SQLException {
        p.setInt(first, a.enabled() ? 1 : 0);
        setEpoch(p, first + 1, a.notBefore());
        setEpoch(p, first + 2, a.expires());
    }

    private static void setEpoch(PreparedStatement p, int i, Optional<Instant> t) throws SQLException {
        if (t.isPresent()) {
            p.setLong(i, t.get().getEpochSecond());
        } else {
            p.setNull(i, Types.INTEGER);
        }
    }

    private static Optional<Instant> epoch(ResultSet r, int i) throws SQLException {
        long v = r.getLong(i);
        return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(v));
    }

    private static void setOptional(PreparedStatement p, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            p.setString(i, v.get());
        } else {
            p.setNull(i, Types.VARCHAR);
        }
    }

    private static String tagsJson(Map<String, String> tags) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(tags));
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot write vault tags", e);
        }
    }

    private static Map<String, String> parseTags(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StoreException("stored vault tags are not JSON", e);
        }
    }
}
