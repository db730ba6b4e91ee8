package dev.bulwark.store;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned schema migrations: {@code db/migration/V<n>__<name>.sql} on the classpath, listed in
 * {@code db/migration/index.txt}, applied in order, each once, each in its own transaction, with its
 * checksum recorded so that an edited, already-applied migration stops the boot instead of drifting.
 *
 * <p>Why not Flyway: its SQLite support moved out of core in recent versions, and the whole job here
 * is the forty lines below.
 */
public final class Migrations {

    private static final String INDEX = "db/migration/index.txt";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");

    private Migrations() {
    }

    record Migration(int version, String name, String sql, String checksum) {
    }

    public static void apply(DataSource ds) {
        List<Migration> migrations = load();
        try (Connection c = ds.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                        + "name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            for (Migration m : migrations) {
                String applied = appliedChecksum(c, m.version());
                if (applied != null) {
                    if (!applied.equals(m.checksum())) {
                        throw new StoreException("migration V" + m.version() + " (" + m.name()
                                + ") was changed after it was applied; refusing to start");
                    }
                    continue;
                }
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String statement : m.sql().split(";\\s*(\\r?\\n|$)")) {
                        if (!isOnlyComments(statement)) {
                            s.execute(statement);
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO schema_migrations(version, name, checksum, applied_at) VALUES (?,?,?,?)")) {
                        p.setInt(1, m.version());
                        p.setString(2, m.name());
                        p.setString(3, m.checksum());
                        p.setString(4, java.time.Instant.now().toString());
                        p.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw new StoreException("migration V" + m.version() + " (" + m.name() + ") failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot apply migrations: " + e.getMessage(), e);
        }
    }

    /** A chunk of only blank lines and {@code --} comments is no statement (the driver rejects it). */
    static boolean isOnlyComments(String chunk) {
        for (String line : chunk.split("\\R")) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("--")) {
                return false;
            }
        }
        return true;
    }

    private static String appliedChecksum(Connection c, int version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT checksum FROM schema_migrations WHERE version = ?")) {
            p.setInt(1, version);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<Migration> load() {
        List<Migration> out = new ArrayList<>();
        for (String file : read(INDEX).split("\\R")) {
            file = file.strip();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(file);
            if (!m.matches()) {
                throw new StoreException("bad migration file name in index: " + file);
            }
            int version = Integer.parseInt(m.group(1));
            if (version != out.size() + 1) {
                throw new StoreException("migrations must be numbered 1, 2, 3, ... without gaps; found V" + version);
            }
            String sql = read("db/migration/" + file);
            out.add(new Migration(version, m.group(2), sql, sha256(sql)));
        }
        return out;
    }

    private static String read(String resource) {
        URL url = Migrations.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new StoreException("missing resource " + resource);
        }
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read " + resource, e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
