package dev.bulwark.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void everyConnectionEnforcesForeignKeysAndOverwritesDeletedRows() {
        try (Database db = Database.openSqlite(dir.resolve("b.db"))) {
            for (int i = 0; i < 3; i++) {
                assertThat((int) db.read(c -> pragma(c, "foreign_keys"))).isEqualTo(1);
                assertThat((int) db.read(c -> pragma(c, "secure_delete"))).isEqualTo(1);
                assertThat((int) db.inTransaction(c -> pragma(c, "secure_delete"))).isEqualTo(1);
            }
        }
    }

    @Test
    void aDeletedRowLeavesNoTraceInTheDatabaseFiles() throws Exception {
        Path file = dir.resolve("b.db");
        String canary = "canary-" + "7f3e9a1c5b2d4e6f8091a2b3c4d5e6f7";
        try (Database db = Database.openSqlite(file)) {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t (v TEXT)");
                    s.execute("INSERT INTO t VALUES ('" + canary + "')");
                }
                return null;
            });
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DELETE FROM t");
                }
                return null;
            });
        }
        // Closing checkpoints the write-ahead log into the main file; whatever files remain are searched.
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(canary);
            }
        }
    }

    private static int pragma(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
