package dev.bulwark.usage;

import dev.bulwark.testing.MutableClock;
import dev.bulwark.store.Database;
import dev.bulwark.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageFlusherTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:15:00Z");
    private static final Duration NEVER = Duration.ofHours(1); // tests flush by hand

    @TempDir
    Path dir;
    Database db;
    UsageStore store;
    UsageRecorder recorder;
    MutableClock clock;
    UsageFlusher flusher;

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("bulwark.db"));
        store = new UsageStore(db);
        recorder = new UsageRecorder();
        clock = new MutableClock(T0);
        flusher = new UsageFlusher(recorder, store, NEVER, clock);
    }

    @AfterEach
    void close() {
        flusher.close();
        db.close();
    }

    private UsageRow total() {
        List<UsageRow> rows = store.query(new UsageQuery(null, null, null, null, List.of(UsageDimension.ACCOUNT)));
        return rows.isEmpty() ? new UsageRow(null, null, null, null, null, 0, 0, 0) : rows.getFirst();
    }

    @Test
    void manyThreadsRecordingWhileFlushingRepeatedlyLoseAndDoubleCountNothing() throws Exception {
        int threads = 8;
        int calls = 50_000;
        LongAdder prompt = new LongAdder();
        LongAdder completion = new LongAdder();
        AtomicBoolean recording = new AtomicBoolean(true);
        AtomicInteger flushes = new AtomicInteger();
        Thread flushing = Thread.ofPlatform().start(() -> {
            while (recording.get()) {
                flusher.flush();
                flushes.incrementAndGet();
                clock.advance(Duration.ofMinutes(7)); // and across hour buckets
            }
        });
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < calls; i++) {
                    if (i % 5_000 == 0) {
                        // Ten phases, each after one more flush: recording and flushing really
                        // interleave (and cross hour buckets) however fast this machine is.
                        int phase = i / 5_000;
                        while (flushes.get() < phase) {
                            Thread.onSpinWait();
                        }
                    }
                    long p = random.nextInt(0, 500);
                    long c = random.nextInt(0, 500);
                    recorder.record(i % 2 == 0 ? "a" : "b", "gpt", i % 3 == 0 ? null : "k" + (i % 3),
                            "p" + (id * 7 + i) % 50, p, c);
                    prompt.add(p);
                    completion.add(c);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        recording.set(false);
        flushing.join();
        flusher.flush();

        assertThat(flushes.get()).as("flushes ran during recording").isGreaterThan(3);
        UsageRow all = store.query(new UsageQuery(null, null, null, null, List.of(UsageDimension.DEPLOYMENT))).getFirst();
        assertThat(all.requests()).isEqualTo((long) threads * calls);
        assertThat(all.promptTokens()).isEqualTo(prompt.sum());
        assertThat(all.completionTokens()).isEqualTo(completion.sum());
        assertThat(store.query(new UsageQuery(null, null, null, null, List.of(UsageDimension.HOUR))).size())
                .as("the counts were spread over several hour buckets").isGreaterThan(1);
        assertThat(flusher.flush()).as("nothing left").isZero();
    }

    @Test
    void aFailedWriteKeepsItsDeltasForTheNextFlush() throws Exception {
        recorder.record("a", "gpt", null, "p", 10, 20);
        recorder.record("a", "gpt", "k1", "p", 1, 2);
        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TRIGGER usage_refused BEFORE INSERT ON usage_hourly BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
            }
            return null;
        });
        assertThatThrownBy(flusher::flush).isInstanceOf(StoreException.class).hasMessageContaining("disk says no");
        recorder.record("a", "gpt", null, "p", 100, 200); // counted while the database is failing
        assertThatThrownBy(flusher::flush).isInstanceOf(StoreException.class);
        assertThat(total().requests()).isZero();

        db.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER usage_refused");
            }
            return null;
        });
        assertThat(flusher.flush()).isEqualTo(2);
        UsageRow t = total();
        assertThat(t.requests()).isEqualTo(3);
        assertThat(t.promptTokens()).isEqualTo(111);
        assertThat(t.completionTokens()).isEqualTo(222);
        assertThat(flusher.flush()).isZero();
        assertThat(total().requests()).as("not written twice").isEqualTo(3);
    }

    @Test
    void aFlushAddsToTheBucketOfTheHourItRunsIn() {
        recorder.record("a", "gpt", null, "p", 1, 1);
        flusher.flush();
        recorder.record("a", "gpt", null, "p", 1, 1);
        clock.advance(Duration.ofMinutes(10)); // still 10:xx
        flusher.flush();
        recorder.record("a", "gpt", null, "p", 1, 1);
        clock.advance(Duration.ofMinutes(40)); // 11:05
        flusher.flush();
        List<UsageRow> byHour = store.query(new UsageQuery(null, null, null, null, List.of(UsageDimension.HOUR)));
        assertThat(byHour).extracting(UsageRow::hour, UsageRow::requests).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-03-01T10:00:00Z"), 2L),
                org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-03-01T11:00:00Z"), 1L));
    }

    @Test
    void closeFlushesALastTimeAndTheTimerFlushesOnItsOwn() throws Exception {
        recorder.record("a", "gpt", null, "p", 3, 4);
        flusher.close();
        assertThat(total().requests()).isEqualTo(1);
        flusher.close(); // twice is harmless

        try (UsageFlusher fast = new UsageFlusher(recorder, store, Duration.ofMillis(20), clock)) {
            recorder.record("a", "gpt", null, "p", 3, 4);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (total().requests() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(total().requests()).isEqualTo(2);
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().equals("bulwark-usage-flusher"))
                    .isNotEmpty().allMatch(Thread::isDaemon);
        }
    }
}
