package dev.bulwark.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded SQLite database under BULWARK_HOME. One small pool: SQLite allows one writer at a
 * time, so writes serialise on busy_timeout; WAL lets reads go on beside them. Never used on an
 * event-loop thread.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static Database openSqlite(Path file) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        config.setPoolName("bulwark-sqlite");
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql("PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        HikariDataSource ds = new HikariDataSource(config);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        } catch (SQLException e) {
            ds.close();
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
        Database db = new Database(ds);
        Migrations.apply(ds);
        return db;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs work in one transaction; commits if it returns, rolls back if it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
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
        dataSource.close();
    }
}
