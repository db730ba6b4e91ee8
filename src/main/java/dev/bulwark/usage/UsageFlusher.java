package dev.bulwark.usage;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves what {@link UsageRecorder} counted into the hourly usage table: every {@code interval} on its
 * own daemon thread ("bulwark-usage-flusher"), on demand ({@link #flush}, which the usage API calls
 * so that a caller sees their last request at once), and a last time on {@link #close}.
 *
 * <p>A flush reads each cell's delta since the last committed flush and adds all of them to the
 * bucket of the hour the flush runs in (not the hour of each call: counts are not time-stamped one
 * by one, which is what keeps recording free), in one write transaction. Only after the commit does
 * it move each cell's "flushed" mark up by what it wrote. So nothing is counted twice, a call
 * recorded during the flush is in this flush or the next, and a failed write (logged as a WARNING)
 * leaves its deltas for the next flush. The one gap: a commit that reached the disk but reported
 * failure would be added again by the retry; embedded SQLite does not report that way in practice.
 */
public final class UsageFlusher implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(UsageFlusher.class.getName());

    private final UsageRecorder recorder;
    private final UsageStore store;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private boolean closed; // guarded by this

    /** Starts flushing every {@code interval}. */
    public UsageFlusher(UsageRecorder recorder, UsageStore store, Duration interval, Clock clock) {
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the flush interval must be positive: " + interval);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-usage-flusher");
            t.setDaemon(true); // close() does the last flush; an unclosed flusher must not keep the JVM alive
            return t;
        });
        long millis = interval.toMillis();
        timer.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes every delta counted so far; blocks (never call it on an event loop). Serialised: the
     * timer, the API and close() may call it at once.
     *
     * @return the number of rows added to or created in the table
     * @throws dev.bulwark.store.StoreException if the write failed; the deltas stay for the next flush
     */
    public synchronized int flush() {
        List<UsageDelta> deltas = new ArrayList<>();
        recorder.forEachCell(cell -> {
            // Each sum only grows and each add is one atomic step, so a sum is at least the last mark.
            long requests = cell.requests.sum() - cell.flushedRequests;
            long prompt = cell.promptTokens.sum() - cell.flushedPromptTokens;
            long completion = cell.completionTokens.sum() - cell.flushedCompletionTokens;
            if (requests != 0 || prompt != 0 || completion != 0) {
                deltas.add(new UsageDelta(cell, requests, prompt, completion));
            }
        });
        if (deltas.isEmpty()) {
            return 0;
        }
        try {
            store.add(UsageStore.hourOf(clock.instant()), deltas);
        } catch (RuntimeException e) {
            LOG.warning("usage of " + deltas.size() + " keys not written; kept for the next flush: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
        for (UsageDelta d : deltas) {
            UsageCell cell = d.cell();
            cell.flushedRequests += d.requests();
            cell.flushedPromptTokens += d.promptTokens();
            cell.flushedCompletionTokens += d.completionTokens();
        }
        return deltas.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // Logged by flush(); a task that throws would never be scheduled again.
        }
    }

    /** Stops the timer and flushes a last time. Calls recorded after this are not written. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("usage flusher did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "usage counted since the last flush was not written at shutdown", e);
        }
    }
}
