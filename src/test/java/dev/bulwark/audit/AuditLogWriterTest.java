package dev.bulwark.audit;

import dev.bulwark.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.bulwark.audit.TestRecords.count;
import static dev.bulwark.audit.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditLogWriterTest {

    @TempDir
    Path dir;

    /** Holds SQLite's write lock from outside the pool, so the writer thread cannot commit. */
    private Connection lockDatabase() throws SQLException {
        Connection c = TestRecords.raw(dir);
        try (Statement s = c.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");
        }
        return c;
    }

    private static void release(Connection lock) throws SQLException {
        try (lock; Statement s = lock.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    private long droppedReported(AuditLog log) {
        return log.query(new AuditQuery(null, AuditLog.RECORDS_DROPPED, null, null, 1000)).stream()
                .mapToLong(r -> (Long) r.record().properties().get("count"))
                .sum();
    }

    @Test
    void concurrentAppendsAreAllStoredExactlyOnceInAnIntactChain() throws Exception {
        int threads = 8;
        int perThread = 500;
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        log.append(record("t" + thread + "-" + i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            log.flush();

            int total = threads * perThread;
            assertThat(log.droppedCount()).isZero();
            assertThat(count(dir, "SELECT COUNT(*) FROM audit_log")).isEqualTo(total);
            assertThat(count(dir, "SELECT COUNT(DISTINCT correlation_id) FROM audit_log")).isEqualTo(total);
            assertThat(count(dir, "SELECT MAX(seq) FROM audit_log")).isEqualTo(total);
            assertThat(log.verify()).isInstanceOfSatisfying(VerifyResult.Intact.class,
                    i -> assertThat(i.records()).isEqualTo(total));
        }
    }

    @Test
    void appendReturnsAtOnceFromManyThreadsWhileTheDatabaseIsLocked() throws Exception {
        // With the lock held, any I/O on the caller's thread would wait out SQLite's 10 s busy timeout.
        int threads = 8;
        int perThread = 2_000;
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            Connection lock = lockDatabase();
            AtomicLong slowestNanos = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            long started = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long before = System.nanoTime();
                        log.append(record("t" + thread + "-" + i));
                        slowestNanos.accumulateAndGet(System.nanoTime() - before, Math::max);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            long elapsed = System.nanoTime() - started;
            pool.shutdown();
            release(lock);

            assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofSeconds(3));
            assertThat(Duration.ofNanos(slowestNanos.get())).isLessThan(Duration.ofSeconds(1));
            log.flush();
            assertThat(count(dir, "SELECT COUNT(*) FROM audit_log WHERE operation_name <> '" + AuditLog.RECORDS_DROPPED + "'")
                    + log.droppedCount()).isEqualTo(threads * perThread);
        }
    }

    @Test
    void aFullQueueDropsRecordsAndTheNextBatchReportsHowMany() throws Exception {
        int appended = 100;
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db, 4, 4, Clock.systemUTC())) {
            Connection lock = lockDatabase();
            for (int i = 0; i < appended; i++) {
                log.append(record("r" + i));
            }
            // At most 4 wait in the queue and at most 4 in the writer's stuck batch.
            assertThat(log.droppedCount()).isBetween(92L, 100L);
            release(lock);
            log.flush();

            long stored = count(dir, "SELECT COUNT(*) FROM audit_log WHERE operation_name <> '" + AuditLog.RECORDS_DROPPED + "'");
            assertThat(stored + log.droppedCount()).isEqualTo(appended);
            assertThat(droppedReported(log)).isEqualTo(log.droppedCount());
            StoredAuditRecord report = log.query(new AuditQuery(null, AuditLog.RECORDS_DROPPED, null, null, 1)).getFirst();
            assertThat(report.record().category()).isEqualTo(AuditRecord.CATEGORY_AUDIT);
            assertThat(report.record().resultType()).isEqualTo(AuditRecord.FAILED);
            assertThat(log.verify()).isInstanceOf(VerifyResult.Intact.class);
        }
    }

    @Test
    void dropsAreReportedEvenWhenNothingIsAppendedAfterThem() throws Exception {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db, 1, 1, Clock.systemUTC())) {
            Connection lock = lockDatabase();
            for (int i = 0; i < 10; i++) {
                log.append(record("r" + i));
            }
            long dropped = log.droppedCount();
            assertThat(dropped).isPositive();
            release(lock);

            // No flush and no further append: the idle writer must write the report on its own.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count(dir, "SELECT COUNT(*) FROM audit_log WHERE operation_name = '" + AuditLog.RECORDS_DROPPED + "'") == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(droppedReported(log)).isEqualTo(dropped);
        }
    }

    @Test
    void theWriterSurvivesAFailedBatchAndLosesNothing() throws Exception {
        Logger logger = Logger.getLogger(AuditLog.class.getName());
        ConcurrentLinkedQueue<LogRecord> logged = new ConcurrentLinkedQueue<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            log.append(record("before"));
            log.flush();
            try (Connection c = TestRecords.raw(dir); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_log RENAME TO audit_log_away");
            }
            AuditRecord secretive = new AuditRecord(TestRecords.T0, "/accounts/a", "op", AuditRecord.CATEGORY_AUDIT,
                    AuditRecord.SUCCEEDED, "200", 1, "10.0.0.9", "during-outage", "user:do-not-log-me",
                    Map.of("marker", "do-not-log-me-either"));
            log.append(secretive);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (logged.stream().noneMatch(r -> r.getLevel() == Level.WARNING) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(logged).anyMatch(r -> r.getLevel() == Level.WARNING);
            try (Connection c = TestRecords.raw(dir); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE audit_log_away RENAME TO audit_log");
            }
            log.flush();

            assertThat(log.query(AuditQuery.latest(10))).extracting(r -> r.record().correlationId())
                    .containsExactly("during-outage", "before");
            assertThat(log.verify()).isInstanceOf(VerifyResult.Intact.class);
            assertThat(log.droppedCount()).isZero();
            assertThat(logged).noneMatch(r -> r.getMessage().contains("do-not-log-me"));
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void flushReportsUnavailableWhileRecordsCannotBeWrittenThenSucceeds() throws Exception {
        try (Database db = TestRecords.open(dir); AuditLog log = new AuditLog(db)) {
            Connection lock = lockDatabase();
            log.append(record("r"));

            assertThatThrownBy(() -> log.flush(Duration.ofMillis(300))).isInstanceOf(AuditUnavailableException.class);
            release(lock);
            log.flush();
            assertThat(log.query(AuditQuery.latest(10))).hasSize(1);
        }
    }

    @Test
    void closeWritesEverythingStillQueued() throws Exception {
        try (Database db = TestRecords.open(dir)) {
            AuditLog log = new AuditLog(db);
            for (int i = 0; i < 2_000; i++) {
                log.append(record("r" + i));
            }
            log.close();
        }
        assertThat(count(dir, "SELECT COUNT(*) FROM audit_log")).isEqualTo(2_000);
    }

    @Test
    void appendAfterCloseIsRefusedAndFlushReturns() {
        try (Database db = TestRecords.open(dir)) {
            AuditLog log = new AuditLog(db);
            log.close();

            assertThatThrownBy(() -> log.append(record("late"))).isInstanceOf(IllegalStateException.class);
            log.flush();
            log.close();
        }
    }
}
