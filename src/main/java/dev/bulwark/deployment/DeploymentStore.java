package dev.bulwark.deployment;

import dev.bulwark.store.StoreException;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** JDBC access to deployments. Every method runs inside the caller's transaction. */
public final class DeploymentStore {
    private static final String COLUMNS = "account, name, sku_name, sku_capacity, model_format, model_name, model_version, "
            + "upstream_url, credential_ref, connect_timeout_ms, timeout_ms, requests_per_minute, tokens_per_minute, created_at, updated_at, "
            + "inline_remote_images";

    public Optional<Deployment> find(Connection c, String account, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE account = ? AND name = ?")) {
            p.setString(1, account);
            p.setString(2, name);
            List<Deployment> found = read(p);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    public List<Deployment> list(Connection c, String account) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments WHERE account = ? ORDER BY name")) {
            p.setString(1, account);
            return read(p);
        }
    }

    /** Every deployment of every account, for the snapshot. */
    public List<Deployment> all(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM deployments ORDER BY account, name")) {
            return read(p);
        }
    }

    /** Inserts or replaces; the row keeps {@code d.createdAt()} as given (the service keeps the original on replace). */
    public void put(Connection c, Deployment d) throws SQLException {
        DeploymentSpec s = d.spec();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO deployments(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                + "ON CONFLICT(account, name) DO UPDATE SET sku_name = excluded.sku_name, sku_capacity = excluded.sku_capacity, "
                + "model_format = excluded.model_format, model_name = excluded.model_name, model_version = excluded.model_version, "
                + "upstream_url = excluded.upstream_url, credential_ref = excluded.credential_ref, "
                + "connect_timeout_ms = excluded.connect_timeout_ms, timeout_ms = excluded.timeout_ms, "
                + "requests_per_minute = excluded.requests_per_minute, tokens_per_minute = excluded.tokens_per_minute, "
                + "updated_at = excluded.updated_at, inline_remote_images = excluded.inline_remote_images")) {
            p.setString(1, d.account());
            p.setString(2, d.name());
            p.setString(3, s.skuName());
            if (s.skuCapacity() == null) {
                p.setNull(4, Types.INTEGER);
            } else {
                p.setInt(4, s.skuCapacity());
            }
            p.setString(5, s.modelFormat());
            p.setString(6, s.model());
            p.setString(7, s.modelVersion());
            p.setString(8, s.upstream().toString());
            p.setString(9, s.credential());
            p.setInt(10, s.connectTimeoutMs());
            p.setInt(11, s.timeoutMs());
            p.setInt(12, s.requestsPerMinute());
            p.setInt(13, s.tokensPerMinute());
            p.setString(14, d.createdAt().toString());
            p.setString(15, d.updatedAt().toString());
            p.setInt(16, s.inlineRemoteImages() ? 1 : 0);
            p.executeUpdate();
        }
    }

    public boolean delete(Connection c, String account, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM deployments WHERE account = ? AND name = ?")) {
            p.setString(1, account);
            p.setString(2, name);
            return p.executeUpdate() == 1;
        }
    }

    private static List<Deployment> read(PreparedStatement p) throws SQLException {
        List<Deployment> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(row(rs));
            }
        }
        return out;
    }

    private static Deployment row(ResultSet rs) throws SQLException {
        String account = rs.getString("account");
        String name = rs.getString("name");
        int capacity = rs.getInt("sku_capacity");
        Integer skuCapacity = rs.wasNull() ? null : capacity;
        try {
            DeploymentSpec spec = new DeploymentSpec(rs.getString("sku_name"), skuCapacity, rs.getString("model_format"),
                    rs.getString("model_name"), rs.getString("model_version"), URI.create(rs.getString("upstream_url")),
                    rs.getString("credential_ref"), rs.getInt("connect_timeout_ms"), rs.getInt("timeout_ms"),
                    rs.getInt("requests_per_minute"), rs.getInt("tokens_per_minute"),
                    rs.getInt("inline_remote_images") != 0);
            return new Deployment(account, name, spec, Instant.parse(rs.getString("created_at")), Instant.parse(rs.getString("updated_at")));
        } catch (DeploymentValidationException | IllegalArgumentException e) {
            // Rows are validated on the way in; one that fails now was edited behind Bulwark's back.
            throw new StoreException("corrupt deployment row " + account + "/" + name + ": " + e.getMessage(), e);
        }
    }
}
