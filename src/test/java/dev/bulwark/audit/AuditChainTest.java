package dev.bulwark.audit;

import dev.bulwark.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static dev.bulwark.audit.TestRecords.T0;
import static dev.bulwark.audit.TestRecords.record;
import static dev.bulwark.audit.TestRecords.tamper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditChainTest {

    @TempDir
    Path dir;

    /** Appends n records, flushes, closes; returns the head hash reported by verify. */
    private String writeRecords(int n) {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            for (int i = 1; i <= n; i++) {
                log.append(record("r" + i));
            }
            log.flush();
            return ((VerifyResult.Intact) log.verify()).headHash();
        }
    }

    private VerifyResult verifyFresh() {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            return log.verify();
        }
    }

    @Test
    void emptyLogIsIntactWithTheGenesisHash() {
        assertThat(verifyFresh()).isEqualTo(new VerifyResult.Intact(0, AuditCanonical.GENESIS_HASH));
    }

    @Test
    void manyRecordsVerifyIntactAndTheHeadIsTheNewestHash() {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            for (int i = 1; i <= 3000; i++) {
                log.append(record("r" + i));
            }
            log.flush();

            VerifyResult result = log.verify();

            String newest = log.query(AuditQuery.latest(1)).getFirst().hash();
            assertThat(result).isEqualTo(new VerifyResult.Intact(3000, newest));
        }
    }

    @Test
    void chainContinuesAcrossAReopen() {
        String headBefore = writeRecords(10);

        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            log.append(record("after-reopen"));
            log.flush();

            StoredAuditRecord next = log.query(AuditQuery.latest(1)).getFirst();
            assertThat(next.sequence()).isEqualTo(11);
            assertThat(next.previousHash()).isEqualTo(headBefore);
            assertThat(log.verify()).isEqualTo(new VerifyResult.Intact(11, next.hash()));
        }
    }

    @Test
    void editingAFieldOfAMiddleRecordIsFoundAtThatSequence() throws SQLException {
        writeRecords(10);
        tamper(dir, "UPDATE audit_log SET identity = 'user:mallory' WHERE seq = 5");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(5));
    }

    @Test
    void editingPropertiesOfAMiddleRecordIsFoundAtThatSequence() throws SQLException {
        writeRecords(10);
        tamper(dir, "UPDATE audit_log SET properties_json = '{\"keyName\":\"key2\"}' WHERE seq = 4");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(4));
    }

    @Test
    void respellingATimeWithTheSameInstantIsStillFound() throws SQLException {
        writeRecords(10);
        tamper(dir, "UPDATE audit_log SET time = '2025-03-01T12:00:00Z' WHERE seq = 6");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(6));
    }

    @Test
    void respellingPropertiesWithTheSameContentIsStillFound() throws SQLException {
        writeRecords(10);
        tamper(dir, "UPDATE audit_log SET properties_json = '{ \"keyName\" : \"key1\" }' WHERE seq = 2");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class, b -> {
            assertThat(b.atSequence()).isEqualTo(2);
            assertThat(b.reason()).contains("canonical");
        });
    }

    @Test
    void editingARecordAndRecomputingItsHashIsFoundAtTheNextRecord() throws SQLException {
        writeRecords(10);
        AuditRecord forged = new AuditRecord(T0, "/accounts/a", "Microsoft.CognitiveServices/accounts/write",
                AuditRecord.CATEGORY_AUDIT, AuditRecord.SUCCEEDED, "200", 7, "10.0.0.1", "r5", "user:mallory",
                Map.of("keyName", "key1"));
        String previous;
        try (Connection c = TestRecords.raw(dir); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT previous_hash FROM audit_log WHERE seq = 5")) {
            rs.next();
            previous = rs.getString(1);
        }
        tamper(dir, "UPDATE audit_log SET identity = 'user:mallory', hash = '"
                + AuditCanonical.hash(5, previous, forged) + "' WHERE seq = 5");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(6));
    }

    @Test
    void deletingAMiddleRecordIsFoundAtTheMissingSequence() throws SQLException {
        writeRecords(10);
        tamper(dir, "DELETE FROM audit_log WHERE seq = 7");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class, b -> {
            assertThat(b.atSequence()).isEqualTo(7);
            assertThat(b.reason()).contains("missing");
        });
    }

    @Test
    void deletingAndRenumberingIsFoundAtTheGap() throws SQLException {
        writeRecords(10);
        tamper(dir, "DELETE FROM audit_log WHERE seq = 7");
        tamper(dir, "UPDATE audit_log SET seq = seq - 1 WHERE seq > 7");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(7));
    }

    @Test
    void swappingTwoRecordsIsFoundAtTheFirstOfThem() throws SQLException {
        writeRecords(10);
        // Reorder: move row 3 aside, put row 4 in its place, then row 3 in row 4's.
        tamper(dir, "UPDATE audit_log SET seq = 1000 WHERE seq = 3");
        tamper(dir, "UPDATE audit_log SET seq = 3 WHERE seq = 4");
        tamper(dir, "UPDATE audit_log SET seq = 4 WHERE seq = 1000");

        assertThat(verifyFresh()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                b -> assertThat(b.atSequence()).isEqualTo(3));
    }

    @Test
    void cuttingRecordsOffTheEndIsFoundWhileTheLogIsOpen() throws SQLException {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            for (int i = 1; i <= 10; i++) {
                log.append(record("r" + i));
            }
            log.flush();
            tamper(dir, "DELETE FROM audit_log WHERE seq > 8");

            assertThat(log.verify()).isInstanceOfSatisfying(VerifyResult.Broken.class,
                    b -> assertThat(b.atSequence()).isEqualTo(9));
        }
    }

    @Test
    void theApplicationCannotUpdateOrDeleteRecords() throws SQLException {
        writeRecords(3);
        try (Connection c = TestRecords.raw(dir); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE audit_log SET identity = 'x' WHERE seq = 2"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("DELETE FROM audit_log WHERE seq = 2"))
                    .hasMessageContaining("append-only");
        }
        assertThat(verifyFresh()).isInstanceOf(VerifyResult.Intact.class);
    }

    @Test
    void awkwardTextIsStoredAndVerifiedExactly() {
        AuditRecord awkward = new AuditRecord(T0.plusNanos(123), "/accounts/a/ü", "op \"quoted\" \\ back",
                AuditRecord.CATEGORY_REQUEST_RESPONSE, AuditRecord.FAILED, null, 0, null, "nul\u0000in\u0001side",
                "emoji \uD83D\uDE00 line\u2028sep", Map.of("list", List.of(1, "two", true), "nested", Map.of("z", 1, "a", "\t")));
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            log.append(awkward);
            log.flush();

            assertThat(log.query(AuditQuery.latest(1)).getFirst().record()).isEqualTo(awkward);
            assertThat(log.verify()).isEqualTo(new VerifyResult.Intact(1, log.query(AuditQuery.latest(1)).getFirst().hash()));
        }
    }
}
