package dev.bulwark.snapshot;

import java.util.function.Supplier;

/**
 * The current snapshot. Readers take {@link #current()} once per request (one volatile read);
 * writers rebuild from the store and swap. Rebuilds are serialised so that a slow, older rebuild
 * can never overwrite a newer one.
 */
public final class SnapshotHolder {
    private volatile Snapshot current = Snapshot.EMPTY;
    private final Supplier<Snapshot> loader;

    /** {@code loader} reads the store and returns a snapshot (version is assigned here). */
    public SnapshotHolder(Supplier<Snapshot> loader) {
        this.loader = loader;
    }

    public Snapshot current() {
        return current;
    }

    /** Rebuilds from the store and swaps. Blocking: call from a worker thread after a commit. */
    public synchronized Snapshot refresh() {
        Snapshot loaded = loader.get();
        Snapshot next = new Snapshot(current.version() + 1, loaded.accounts(), loaded.keys(), loaded.access(), loaded.deployments());
        current = next;
        return next;
    }
}
