package dev.bulwark.audit;

import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.bulwark.audit.TestRecords.T0;
import static dev.bulwark.audit.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogQueryTest {

    @TempDir
    Path dir;
    Database db;
    AuditLog log;

    @BeforeEach
    void open() {
        db = TestRecords.open(dir);
        log = new AuditLog(db);
    }

    @AfterEach
    void close() {
        log.close();
        db.close();
    }

    private static List<String> correlationIds(List<StoredAuditRecord> records) {
        return records.stream().map(r -> r.record().correlationId()).toList();
    }

    @Test
    void flushedRecordsComeBackNewestFirstWithTheirFields() {
        AuditRecord first = record("r1");
        AuditRecord second = record("/accounts/b", "Microsoft.CognitiveServices/accounts/listKeys/action",
                T0.plusSeconds(1), "r2");
        log.append(first);
        log.append(second);
        log.flush();

        List<StoredAuditRecord> found = log.query(AuditQuery.latest(10));

        assertThat(found).extracting(StoredAuditRecord::record).containsExactly(second, first);
        assertThat(found).extracting(StoredAuditRecord::sequence).containsExactly(2L, 1L);
        assertThat(found.get(0).previousHash()).isEqualTo(found.get(1).hash());
        assertThat(found.get(1).previousHash()).isEqualTo(AuditCanonical.GENESIS_HASH);
    }

    @Test
    void accountFilterMatchesTheAccountAndItsChildrenButNoOtherAccountSharingThePrefix() {
        String op = "op";
        log.append(record("/accounts/a", op, T0, "a"));
        log.append(record("/accounts/a/keys/key1", op, T0, "a-child"));
        log.append(record("/accounts/ab", op, T0, "ab"));
        log.append(record("/accounts/ab/keys/key1", op, T0, "ab-child"));
        log.append(record("/accounts/a0", op, T0, "a0"));
        log.append(record("/accounts/a.b", op, T0, "a.b"));
        log.append(record("/accounts/A", op, T0, "A"));
        log.append(record("/accountsX/a", op, T0, "other-root"));
        log.flush();

        List<StoredAuditRecord> found = log.query(new AuditQuery("a", null, null, null, 100));

        assertThat(correlationIds(found)).containsExactly("a-child", "a");
        assertThat(correlationIds(log.query(new AuditQuery("a0", null, null, null, 100)))).containsExactly("a0");
    }

    @Test
    void operationFilterIsExactButIgnoresCase() {
        log.append(record("/accounts/a", "Microsoft.CognitiveServices/accounts/listKeys/action", T0, "list"));
        log.append(record("/accounts/a", "Microsoft.CognitiveServices/accounts/listKeys/action/more", T0, "longer"));
        log.append(record("/accounts/a", "Microsoft.CognitiveServices/accounts/regenerateKey/action", T0, "regen"));
        log.flush();

        List<StoredAuditRecord> found = log.query(
                new AuditQuery(null, "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/LISTKEYS/ACTION", null, null, 100));

        assertThat(correlationIds(found)).containsExactly("list");
    }

    @Test
    void timeRangeIncludesSinceAndExcludesUntil() {
        for (int i = 0; i < 5; i++) {
            log.append(record("/accounts/a", "op", T0.plusSeconds(i), "t" + i));
        }
        log.flush();

        List<StoredAuditRecord> found = log.query(new AuditQuery(null, null, T0.plusSeconds(1), T0.plusSeconds(3), 100));

        assertThat(correlationIds(found)).containsExactly("t2", "t1");
    }

    @Test
    void timeRangeComparesSubSecondTimesInTimeOrder() {
        // Instant.toString would write "...:00Z" and "...:00.5Z", which do not sort as text; the stored
        // fixed-width form must.
        log.append(record("/accounts/a", "op", T0, "whole"));
        log.append(record("/accounts/a", "op", T0.plusMillis(500), "half"));
        log.append(record("/accounts/a", "op", T0.plusNanos(1), "nano"));
        log.flush();

        assertThat(correlationIds(log.query(new AuditQuery(null, null, T0.plusNanos(1), null, 100))))
                .containsExactly("nano", "half");
        assertThat(correlationIds(log.query(new AuditQuery(null, null, null, T0.plusNanos(1), 100))))
                .containsExactly("whole");
    }

    @Test
    void filtersCombine() {
        log.append(record("/accounts/a", "op", T0, "match"));
        log.append(record("/accounts/a", "other", T0, "wrong-op"));
        log.append(record("/accounts/b", "op", T0, "wrong-account"));
        log.append(record("/accounts/a", "op", T0.minusSeconds(60), "too-early"));
        log.flush();

        assertThat(correlationIds(log.query(new AuditQuery("a", "OP", T0, null, 100)))).containsExactly("match");
    }

    @Test
    void limitKeepsTheNewest() {
        for (int i = 0; i < 20; i++) {
            log.append(record("r" + i));
        }
        log.flush();

        assertThat(correlationIds(log.query(AuditQuery.latest(3)))).containsExactly("r19", "r18", "r17");
    }

    @Test
    void queryRefusesOutOfRangeLimitsAndAccountsWithSlashes() {
        assertThatThrownBy(() -> AuditQuery.latest(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuditQuery.latest(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AuditQuery.latest(1000).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> new AuditQuery("a/keys", null, null, null, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditQuery(null, null, T0, T0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundsBeyondTheStorableYearsStillFilterCorrectly() {
        log.append(record("r"));
        log.flush();

        assertThat(log.query(new AuditQuery(null, null, Instant.MIN, Instant.MAX, 10))).hasSize(1);
        assertThat(log.query(new AuditQuery(null, null, null, Instant.MIN.plusSeconds(1), 10))).isEmpty();
        assertThat(log.query(new AuditQuery(null, null, Instant.MAX.minusSeconds(1), null, 10))).isEmpty();
    }
}
