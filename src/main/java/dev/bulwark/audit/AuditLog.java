package dev.bulwark.audit;

import dev.bulwark.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hash-chained audit log. Callers on Netty event loops hand records to {@link #append}, which
 * only offers them to a bounded in-memory queue; one writer thread drains the queue and appends each
 * batch to the chain in a single transaction. One writer means the chain needs no locking and SQLite
 * sees one write transaction per batch instead of one per record.
 *
 * <p>Nothing is lost silently. A full queue drops the record, counts it and has the next written batch
 * carry an "Audit/RecordsDropped" record with the count. A failed batch is logged and retried with
 * backoff until it is written; meanwhile the queue fills and drops are counted the same way.
 *
 * <p>Use one AuditLog per database. {@link #query}, {@link #verify} and {@link #flush} block: call
 * them off the event loop.
 */
public final class AuditLog implements AutoCloseable {

    public static final String RECORDS_DROPPED = "Audit/RecordsDropped";

    static final int DEFAULT_CAPACITY = 10_000;
    static final int DEFAULT_MAX_BATCH = 500;
    static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    // The writer wakes this often when idle, so drops that happened after its last batch still get
    // their RecordsDropped record without waiting for the next append.
    private static final long IDLE_WAKE_MILLIS = 200;
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 5_000;

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    /** What the writer takes from the queue. */
    private sealed interface Entry {
        record Append(AuditRecord record) implements Entry {
        }

        /** Completed once every entry ahead of it is durable: how flush() waits. */
        record Barrier(CompletableFuture<Void> done) implements Entry {
        }

        /** Put last by close(); the writer exits after the batch that holds it. */
        record Stop() implements Entry {
        }
    }

    // LinkedBlockingQueue has separate put and take locks, so producers on event loops never wait
    // for the writer's drainTo; offer() is a short lock hold, no I/O, no waiting for space.
    private final BlockingQueue<Entry> queue;
    private final int maxBatch;
    private final Clock clock;
    private final AuditStore store;
    private final AuditWriter writer;
    private final AuditVerifier verifier;
    private final Thread thread;

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedUnreported = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    // Callers inside append()/flush(); close() waits for zero after setting closed, so nothing can be
    // queued behind the Stop entry (volatile + atomics are sequentially consistent: Dekker-safe).
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;
    // Completed when close() has finished; exceptionally if it had to abandon records.
    private final CompletableFuture<Void> closeDone = new CompletableFuture<>();

    public AuditLog(Database db) {
        this(db, DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, Clock.systemUTC());
    }

    AuditLog(Database db, int capacity, int maxBatch, Clock clock) {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be positive");
        }
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new AuditStore(Objects.requireNonNull(db, "db"));
        this.writer = new AuditWriter(db, store); // reads the chain head: survives restarts
        this.verifier = new AuditVerifier(store);
        this.thread = new Thread(this::runWriter, "bulwark-audit-writer");
        thread.setDaemon(true); // close() drains; an unclosed log must not keep the JVM alive
        thread.setUncaughtExceptionHandler((t, e) ->
                LOG.log(Level.SEVERE, "audit writer stopped; records are no longer written", e));
        thread.start();
    }

    /**
     * Queues a record. Never blocks and never does I/O: safe on an event loop. A full queue drops the
     * record, counted in {@link #droppedCount()} and reported in the log itself.
     *
     * @throws IllegalStateException after close(): the server must stop its listeners first
     */
    public void append(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        inFlight.incrementAndGet();
        try {
            if (closed) {
                throw new IllegalStateException("audit log is closed");
            }
            if (!queue.offer(new Entry.Append(record))) {
                dropped.incrementAndGet();
                droppedUnreported.incrementAndGet();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** {@link #flush(Duration)} with a 30 s limit. */
    public void flush() {
        flush(DEFAULT_FLUSH_TIMEOUT);
    }

    /**
     * Blocks until every record appended before this call is durable (or was dropped and counted).
     *
     * @throws AuditUnavailableException if that does not happen within the timeout
     */
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture<Void> done = new CompletableFuture<>();
        inFlight.incrementAndGet();
        try {
            if (closed) {
                done = closeDone; // close() drains or accounts for everything accepted before it
            } else if (!queue.offer(new Entry.Barrier(done), timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AuditUnavailableException("audit queue stayed full for " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while flushing the audit log");
        } finally {
            inFlight.decrementAndGet();
        }
        try {
            done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AuditUnavailableException("audit records not durable within " + timeout);
        } catch (ExecutionException e) {
            throw new AuditUnavailableException("audit records were not written: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while flushing the audit log");
        }
    }

    /** Newest first. */
    public List<StoredAuditRecord> query(AuditQuery q) {
        return store.query(Objects.requireNonNull(q, "q"));
    }

    /** Walks the whole chain from sequence 1. */
    public VerifyResult verify() {
        return verifier.verify(writer.head());
    }

    /** Records dropped since start because the queue was full (or never written at close). */
    public long droppedCount() {
        return dropped.get();
    }

    /** Drains the queue, then stops the writer. Later append() calls throw. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                closeDone.exceptionally(e -> null).join();
                return;
            }
            closed = true;
        }
        while (inFlight.get() > 0) {
            LockSupport.parkNanos(100_000);
        }
        try {
            if (queue.offer(new Entry.Stop(), CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
            if (thread.isAlive()) {
                thread.interrupt(); // stuck retrying a database that does not come back
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abandon(new ArrayList<>(queue));
        queue.clear();
        if (abandoned.get() > 0 || thread.isAlive()) {
            closeDone.completeExceptionally(new AuditUnavailableException("audit log closed with records not written"));
        } else {
            closeDone.complete(null);
        }
    }

    private void runWriter() {
        List<Entry> taken = new ArrayList<>(maxBatch);
        List<AuditRecord> records = new ArrayList<>(maxBatch + 1);
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            Entry first;
            try {
                first = queue.poll(IDLE_WAKE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return; // only close() interrupts; it accounts for what is left in the queue
            }
            if (first == null && droppedUnreported.get() == 0) {
                continue;
            }
            taken.clear();
            records.clear();
            barriers.clear();
            if (first != null) {
                taken.add(first);
                queue.drainTo(taken, maxBatch - 1);
            }
            for (Entry e : taken) {
                switch (e) {
                    case Entry.Append a -> records.add(a.record());
                    case Entry.Barrier b -> barriers.add(b.done());
                    case Entry.Stop s -> stop = true;
                }
            }
            long drops = droppedUnreported.getAndSet(0);
            int appended = records.size();
            if (drops > 0) {
                LOG.warning("audit queue was full: " + drops + " records dropped (" + dropped.get()
                        + " since start); recording " + RECORDS_DROPPED);
                records.add(droppedRecord(drops));
            }
            if (records.isEmpty() || writeUntilDone(records)) {
                barriers.forEach(b -> b.complete(null));
            } else {
                lost(appended);
                if (drops > 0) {
                    // Those drops were counted when they happened; what is lost is their report.
                    abandoned.incrementAndGet();
                    LOG.severe("the " + RECORDS_DROPPED + " record for " + drops + " dropped records was not written");
                }
                AuditUnavailableException failure = new AuditUnavailableException("audit log closed before the records were written");
                barriers.forEach(b -> b.completeExceptionally(failure));
                return;
            }
        }
    }

    /** Retries a failed batch with backoff until written; false only if close() gives up on it. */
    private boolean writeUntilDone(List<AuditRecord> records) {
        long backoff = FIRST_RETRY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                writer.write(records);
                if (attempt > 1) {
                    LOG.info("audit batch of " + records.size() + " records written after " + attempt + " attempts");
                }
                return true;
            } catch (RuntimeException e) {
                // The message is the store's (SQL state, no bound values), never record contents.
                LOG.warning("audit batch of " + records.size() + " records not written (attempt " + attempt
                        + "), retrying in " + backoff + " ms: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return false;
            }
            backoff = Math.min(backoff * 2, MAX_RETRY_MILLIS);
        }
    }

    private AuditRecord droppedRecord(long count) {
        return new AuditRecord(clock.instant(), "/audit", RECORDS_DROPPED, AuditRecord.CATEGORY_AUDIT,
                AuditRecord.FAILED, null, 0, null, null, "bulwark",
                Map.of("count", count, "droppedSinceStart", dropped.get()));
    }

    /** Whatever close() could not get written: counted and logged loudly, and flush() callers told. */
    private void abandon(List<Entry> left) {
        int records = 0;
        for (Entry e : left) {
            switch (e) {
                case Entry.Append a -> records++;
                case Entry.Barrier b -> b.done().completeExceptionally(
                        new AuditUnavailableException("audit log closed before the records were written"));
                case Entry.Stop s -> { }
            }
        }
        lost(records);
    }

    private void lost(int records) {
        if (records == 0) {
            return;
        }
        dropped.addAndGet(records);
        abandoned.addAndGet(records);
        LOG.severe("audit log closed with " + records + " records not written");
    }
}
