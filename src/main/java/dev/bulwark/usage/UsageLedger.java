package dev.bulwark.usage;

import dev.bulwark.store.Database;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Usage accounting as the rest of Bulwark sees it: the recorder the proxy counts into, the hourly
 * table the API reads, and the flusher between them. One per database.
 */
public final class UsageLedger implements AutoCloseable {
    private final UsageRecorder recorder;
    private final UsageStore store;
    private final UsageFlusher flusher;

    public UsageLedger(UsageRecorder recorder, UsageStore store, UsageFlusher flusher) {
        this.recorder = recorder;
        this.store = store;
        this.flusher = flusher;
    }

    /** A recorder with the default key limit, flushed to {@code db} every {@code interval}. */
    public static UsageLedger start(Database db, Duration interval) {
        UsageRecorder recorder = new UsageRecorder();
        UsageStore store = new UsageStore(db);
        return new UsageLedger(recorder, store, new UsageFlusher(recorder, store, interval, Clock.systemUTC()));
    }

    /** Where the proxy counts each completed call (on the event loop). */
    public UsageRecorder recorder() {
        return recorder;
    }

    /** Flushes what is counted so far, then answers: a caller sees their last request at once. Blocking. */
    public List<UsageRow> query(UsageQuery q) {
        flusher.flush();
        return store.query(q);
    }

    public String prometheusText() {
        return recorder.prometheusText();
    }

    /** Flushes a last time. Close after the listeners stop and before the database. */
    @Override
    public void close() {
        flusher.close();
    }
}
