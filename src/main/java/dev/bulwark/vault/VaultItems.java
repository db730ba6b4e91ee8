package dev.bulwark.vault;

import dev.bulwark.store.Database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The life cycle every vault item shares, secrets and keys alike: versions, attributes and tags,
 * soft delete with a retention period, recover, purge and purge protection. The value of a version
 * is someone else's business ({@link VaultSecrets}, {@link VaultKeys}); this class never opens it.
 *
 * <p>Expired deleted items are purged lazily (any operation on a name whose purge date has passed
 * finds it gone) and by {@link #purgeExpired}, which Bulwark runs hourly. Blocking: database.
 */
public final class VaultItems {
    /** Versions per item; Key Vault has no documented cap, this keeps a runaway writer bounded. */
    static final int MAX_VERSIONS = 500;
    static final int MAX_TAGS = 15;
    static final int MAX_TAG_CHARS = 512;

    private final Database db;
    private final VaultStore store = new VaultStore();
    private final Clock clock;
    private final VaultPolicy policy;
    private final SecureRandom random = new SecureRandom();
    private final List<Consumer<VaultVersion>> changeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public VaultItems(Database db, Clock clock, VaultPolicy policy) {
        this.db = db;
        this.clock = clock;
        this.policy = policy;
    }

    public VaultPolicy policy() {
        return policy;
    }

    /** Now, in whole seconds (Key Vault's resolution). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A fresh version id: 32 lower-case hex characters. */
    String newVersionId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Called with the kind and name of any item whose state changed (attributes, delete, recover, purge, new version). */
    void onChange(Consumer<VaultVersion> listener) {
        changeListeners.add(listener);
    }

    private void changed(VaultVersion v) {
        for (Consumer<VaultVersion> l : changeListeners) {
            l.accept(v);
        }
    }

    /**
     * Adds a version (its value already sealed by the caller) and makes it current. A name in the
     * deleted state is a 409 Conflict, as in Key Vault: recover or purge it first.
     */
    VaultVersion addVersion(VaultItemKind kind, String name, VersionFactory factory) {
        VaultVersion created = db.inTransaction(c -> {
            Optional<VaultStore.Item> existing = live(c, kind, name, true);
            long id;
            if (existing.isPresent()) {
                if (store.versions(c, existing.get()).size() >= MAX_VERSIONS) {
                    throw VaultException.badParameter("The " + kind.noun() + " " + name + " has " + MAX_VERSIONS
                            + " versions, the most this vault keeps.");
                }
                id = existing.get().id();
            } else {
                id = store.createItem(c, kind, name);
            }
            String canonical = existing.map(VaultStore.Item::name).orElse(name);
            VaultVersion v = factory.create(canonical, newVersionId(), now());
            store.insertVersion(c, id, v);
            return v;
        });
        changed(created);
        return created;
    }

    /** Makes the version's value: the caller seals it under an identity naming {@code name/version}. */
    @FunctionalInterface
    interface VersionFactory {
        VaultVersion create(String canonicalName, String version, Instant now);
    }

    /** The named version, or the current one when {@code version} is empty. 404 when missing or deleted. */
    public VaultVersion get(VaultItemKind kind, String name, Optional<String> version) {
        VaultName.require(name);
        return db.read(c -> {
            VaultStore.Item item = live(c, kind, name, false).orElseThrow(() -> VaultException.notFound(kind, name));
            if (version.isEmpty()) {
                return store.latest(c, item).orElseThrow(() -> VaultException.notFound(kind, name));
            }
            if (!VaultName.isVersion(version.get())) {
                throw VaultException.versionNotFound(kind, name, version.get());
            }
            return store.version(c, item, version.get()).orElseThrow(() -> VaultException.versionNotFound(kind, name, version.get()));
        });
    }

    /** The current version of every live item of a kind, by name. */
    public List<VaultVersion> list(VaultItemKind kind) {
        return db.read(c -> {
            List<VaultVersion> out = new ArrayList<>();
            for (VaultStore.Item item : store.items(c, kind, false)) {
                store.latest(c, item).ifPresent(out::add);
            }
            return out;
        });
    }

    /** Every version of one live item, oldest first. */
    public List<VaultVersion> versions(VaultItemKind kind, String name) {
        VaultName.require(name);
        return db.read(c -> store.versions(c, live(c, kind, name, false).orElseThrow(() -> VaultException.notFound(kind, name))));
    }

    /** What a PATCH may change; an empty field leaves the stored value. */
    public record Update(Optional<Boolean> enabled, Optional<Optional<Instant>> notBefore, Optional<Optional<Instant>> expires,
                         Optional<Map<String, String>> tags, Optional<Optional<String>> contentType) {
        public static Update enabled(boolean on) {
            return new Update(Optional.of(on), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Changes one version's attributes, tags or content type. The current version when {@code version} is empty. */
    public VaultVersion update(VaultItemKind kind, String name, Optional<String> version, Update u) {
        VaultName.require(name);
        u.tags().ifPresent(VaultItems::checkTags);
        VaultVersion updated = db.inTransaction(c -> {
            VaultStore.Item item = live(c, kind, name, false).orElseThrow(() -> VaultException.notFound(kind, name));
            VaultVersion v = version.isEmpty() ? store.latest(c, item).orElseThrow(() -> VaultException.notFound(kind, name))
                    : store.version(c, item, version.get()).orElseThrow(() -> VaultException.versionNotFound(kind, name, version.get()));
            VaultAttributes a = v.attributes();
            VaultAttributes next = new VaultAttributes(u.enabled().orElse(a.enabled()), u.notBefore().orElse(a.notBefore()),
                    u.expires().orElse(a.expires()), a.created(), now());
            checkWindow(next.notBefore(), next.expires());
            VaultVersion changed = v.withAttributes(next, u.tags().orElse(v.tags()), u.contentType().orElse(v.contentType()));
            store.updateVersion(c, item.id(), changed);
            return changed;
        });
        changed(updated);
        return updated;
    }

    /** A deleted item and its current version's metadata. */
    public record Deleted(VaultVersion current, DeletedItem deleted) {
    }

    /** Soft-deletes an item, every version with it, for the retention period. */
    public Deleted delete(VaultItemKind kind, String name) {
        VaultName.require(name);
        Deleted d = db.inTransaction(c -> {
            VaultStore.Item item = live(c, kind, name, false).orElseThrow(() -> VaultException.notFound(kind, name));
            Instant now = now();
            DeletedItem deleted = new DeletedItem(now, now.plus(Duration.ofDays(policy.retentionDays())));
            store.setDeleted(c, item.id(), deleted);
            return new Deleted(store.latest(c, item).orElseThrow(() -> VaultException.notFound(kind, name)), deleted);
        });
        changed(d.current());
        return d;
    }

    /** Every soft-deleted item of a kind that is not yet purged. */
    public List<Deleted> listDeleted(VaultItemKind kind) {
        return db.read(c -> {
            List<Deleted> out = new ArrayList<>();
            Instant now = now();
            for (VaultStore.Item item : store.items(c, kind, true)) {
                if (item.deleted().get().scheduledPurgeDate().isAfter(now)) {
                    store.latest(c, item).ifPresent(v -> out.add(new Deleted(v, item.deleted().get())));
                }
            }
            return out;
        });
    }

    public Deleted getDeleted(VaultItemKind kind, String name) {
        VaultName.require(name);
        return db.read(c -> {
            VaultStore.Item item = deleted(c, kind, name);
            return new Deleted(store.latest(c, item).orElseThrow(() -> VaultException.notFound(kind, name)), item.deleted().get());
        });
    }

    /** Brings a soft-deleted item back, every version as it was. */
    public VaultVersion recover(VaultItemKind kind, String name) {
        VaultName.require(name);
        VaultVersion v = db.inTransaction(c -> {
            VaultStore.Item item = deleted(c, kind, name);
            store.setDeleted(c, item.id(), null);
            return store.latest(c, item).orElseThrow(() -> VaultException.notFound(kind, name));
        });
        changed(v);
        return v;
    }

    /** Removes a soft-deleted item for good. With purge protection: 403 until its scheduled purge date. */
    public void purge(VaultItemKind kind, String name) {
        VaultName.require(name);
        VaultVersion gone = db.inTransaction(c -> {
            VaultStore.Item item = deleted(c, kind, name);
            if (policy.purgeProtection()) {
                throw new VaultException(403, "Forbidden", "Operation \"purge\" is not allowed because purge protection is enabled for "
                        + "this vault. Key Vault service will automatically purge it after the retention period has passed.");
            }
            VaultVersion last = store.latest(c, item).orElse(null);
            store.purge(c, item.id());
            return last;
        });
        if (gone != null) {
            changed(gone);
        }
    }

    /** Purges every soft-deleted item whose retention has run out; returns how many. For the periodic job. */
    public int purgeExpired() {
        List<VaultVersion> gone = db.inTransaction(c -> {
            List<VaultVersion> out = new ArrayList<>();
            for (VaultStore.Item item : store.dueForPurge(c, now())) {
                store.latest(c, item).ifPresent(out::add);
                store.purge(c, item.id());
            }
            return out;
        });
        gone.forEach(this::changed);
        return gone.size();
    }

    /**
     * The live item of a name. A deleted one whose purge date has passed is purged now (when
     * writing) or treated as gone (when reading); one still in retention is a 409 for a write and
     * "not found" for a read, as in Key Vault.
     */
    private Optional<VaultStore.Item> live(Connection c, VaultItemKind kind, String name, boolean writing) throws SQLException {
        Optional<VaultStore.Item> item = store.item(c, kind, name);
        if (item.isEmpty() || item.get().deleted().isEmpty()) {
            return item;
        }
        if (!item.get().deleted().get().scheduledPurgeDate().isAfter(now())) {
            if (writing) {
                store.purge(c, item.get().id());
            }
            return Optional.empty();
        }
        if (writing) {
            throw new VaultException(409, "Conflict", kind.noun().substring(0, 1).toUpperCase() + kind.noun().substring(1) + " " + name
                    + " is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the "
                    + kind.noun() + " can only be recovered or purged.");
        }
        return Optional.empty();
    }

    private VaultStore.Item deleted(Connection c, VaultItemKind kind, String name) throws SQLException {
        Optional<VaultStore.Item> item = store.item(c, kind, name);
        if (item.isEmpty() || item.get().deleted().isEmpty() || !item.get().deleted().get().scheduledPurgeDate().isAfter(now())) {
            throw new VaultException(404, kind == VaultItemKind.SECRET ? "SecretNotFound" : "KeyNotFound",
                    "Deleted " + kind.noun() + " " + name + " not found");
        }
        return item.get();
    }

    static void checkWindow(Optional<Instant> nbf, Optional<Instant> exp) {
        if (nbf.isPresent() && exp.isPresent() && !nbf.get().isBefore(exp.get())) {
            throw VaultException.badParameter("nbf must be before exp.");
        }
    }

    static void checkTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw VaultException.badParameter("At most " + MAX_TAGS + " tags are allowed.");
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > MAX_TAG_CHARS || e.getValue() == null || e.getValue().length() > MAX_TAG_CHARS) {
                throw VaultException.badParameter("Tag names must be 1-" + MAX_TAG_CHARS + " characters and values at most " + MAX_TAG_CHARS + ".");
            }
        }
    }
}
