package dev.bulwark.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded SQLite database under BULWARK_HOME, as two pools. SQLite allows one writer at a
 * time, and a transaction that starts reading and then writes can fail at once with SQLITE_BUSY
 * when another writer got in between (busy_timeout does not help there). So writes go through a
 * one-connection pool whose transactions start with BEGIN IMMEDIATE (they queue in the pool instead
 * of failing), and reads go through a separate pool that WAL lets run beside the writer. Never used
 * on an event-loop thread.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource writer;
    private final HikariDataSource reader;

    private Database(HikariDataSource writer, HikariDataSource reader) {
        this.writer = writer;
        this.reader = reader;
    }

    public static Database openSqlite(Path file) {
        HikariDataSource writer = pool(file, "bulwark-sqlite-writer", 1, "IMMEDIATE");
        try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        } catch (SQLException e) {
            writer.close();
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        try {
            Migrations.apply(writer);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        return new Database(writer, pool(file, "bulwark-sqlite-reader", 4, "DEFERRED"));
    }

    private static HikariDataSource pool(Path file, String name, int size, String transactionMode) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.addDataSourceProperty("transaction_mode", transactionMode);
        // secure_delete: a deleted row (an account's keys, a purged secret) is overwritten, not left in
        // free pages. Set as a driver property: the driver applies it to every connection it opens.
        config.addDataSourceProperty("secure_delete", "true");
        config.setConnectionInitSql("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        return new HikariDataSource(config);
    }

    /** Connections for reads (autocommit). Writes must use {@link #inTransaction}. */
    public DataSource dataSource() {
        return reader;
    }

    /** Runs reads in one consistent snapshot of the database. */
    public <T> T read(SqlWork<T> work) {
        return run(reader, work);
    }

    /** Runs work in one write transaction; commits if it returns, rolls back if it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        return run(writer, work);
    }

    private static <T> T run(HikariDataSource pool, SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database error: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } finally {
            writer.close();
        }
    }
}
