package dev.bulwark.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {
    @TempDir
    Path dir;

    @Test
    void migrationsApplyOnceAndSurviveReopening() throws Exception {
        Path file = dir.resolve("b.db");
        try (Database db = Database.openSqlite(file)) {
            assertThat(count(db)).isEqualTo(Migrations.load().size());
        }
        try (Database db = Database.openSqlite(file)) {
            assertThat(count(db)).isEqualTo(Migrations.load().size());
        }
    }

    @Test
    void anAppliedMigrationThatChangedStopsTheBoot() throws Exception {
        Path file = dir.resolve("b.db");
        try (Database db = Database.openSqlite(file);
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE schema_migrations SET checksum = 'x' WHERE version = 1");
        }
        assertThatThrownBy(() -> Database.openSqlite(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("was changed after it was applied");
    }

    private static int count(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aTrailingCommentIsNotAStatement() {
        assertThat(Migrations.isOnlyComments("\n-- the end\n  \n")).isTrue();
        assertThat(Migrations.isOnlyComments("-- note\nCREATE TABLE t (x INTEGER)")).isFalse();
    }
}
