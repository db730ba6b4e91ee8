package dev.bulwark.identity.workload;

import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.identity.workload.WorkloadIdentityStore.Row;
import dev.bulwark.identity.workload.WorkloadIdentityStore.Slot;
import dev.bulwark.identity.workload.WorkloadIdentityStore.StoredSecret;
import dev.bulwark.store.Database;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Workload identities: lifecycle, credentials, and the secret check the token endpoints use.
 * Blocking: call from a worker thread, never an event loop.
 *
 * <p><b>Secrets.</b> Generated here ({@link ClientSecretFormat}), returned once, stored only as
 * HMAC-SHA256 under a key derived from the master key for {@link #SECRET_DIGEST_PURPOSE}, compared in
 * constant time.
 *
 * <p><b>Rotation</b> follows Tink's keyset model with two slots: CURRENT (used for new work) and
 * PREVIOUS (only still accepted). {@link #regenerateSecret} makes a new CURRENT; the old CURRENT
 * becomes PREVIOUS and keeps working for the overlap (24 hours by default, set per service), so a
 * workload can be switched to the new secret with no downtime; whatever PREVIOUS held before is
 * dropped at once. With {@code revokePrevious} (a leaked secret) the old CURRENT stops working before
 * the call returns. There is never more than one old secret alive.
 */
public final class WorkloadIdentityService {
    public static final String SECRET_DIGEST_PURPOSE = "bulwark/workload-secret-digest/v1";
    public static final Duration DEFAULT_PREVIOUS_SECRET_OVERLAP = Duration.ofHours(24);
    static final Duration MAX_PREVIOUS_SECRET_OVERLAP = Duration.ofDays(30);

    private final Database db;
    private final WorkloadIdentityStore store = new WorkloadIdentityStore();
    private final KeyedDigest digest;
    private final Clock clock;
    private final Duration overlap;
    private final Runnable afterChange;

    /**
     * @param secretDigest the digest for {@link #SECRET_DIGEST_PURPOSE}
     * @param overlap      how long a replaced secret keeps working (more than zero, at most 30 days)
     * @param afterChange  run after every committed change (e.g. a snapshot refresh); may be a no-op
     */
    public WorkloadIdentityService(Database db, KeyedDigest secretDigest, Clock clock, Duration overlap, Runnable afterChange) {
        if (overlap == null || overlap.isNegative() || overlap.isZero() || overlap.compareTo(MAX_PREVIOUS_SECRET_OVERLAP) > 0) {
            throw new IllegalArgumentException("the previous-secret overlap must be more than zero and at most "
                    + MAX_PREVIOUS_SECRET_OVERLAP.toDays() + " days, got " + overlap);
        }
        this.db = db;
        this.digest = secretDigest;
        this.clock = clock;
        this.overlap = overlap;
        this.afterChange = afterChange;
    }

    /** The service with its digest key derived from the master key and the default overlap. */
    public static WorkloadIdentityService create(Database db, MasterKey master, Clock clock, Runnable afterChange) {
        return new WorkloadIdentityService(db, KeyedDigest.forPurpose(master, SECRET_DIGEST_PURPOSE), clock,
                DEFAULT_PREVIOUS_SECRET_OVERLAP, afterChange);
    }

    public Duration previousSecretOverlap() {
        return overlap;
    }

    /** A new identity and, if one was asked for, its secret (the only time it is shown). */
    public record Created(WorkloadIdentity identity, Optional<IssuedSecret> secret) {
    }

    /** An identity after rotation, with its new secret (the only time it is shown). */
    public record Rotated(WorkloadIdentity identity, IssuedSecret secret) {
    }

    /** The outcome of checking a presented client secret. */
    public sealed interface SecretCheck {
        /** @param previousSecret true when the secret was the PREVIOUS one (worth an audit note: rotation not finished) */
        record Valid(WorkloadIdentity identity, boolean previousSecret) implements SecretCheck {
        }

        /** @param reason for the audit record only; never shown to the client, never contains the secret */
        record Invalid(String reason) implements SecretCheck {
        }
    }

    public Created create(String name, Optional<String> publicKeyJwk, boolean withSecret) {
        WorkloadIdentityName.validate(name);
        Optional<RegisteredPublicKey> key = publicKeyJwk.map(RegisteredPublicKey::parse);
        if (!withSecret && key.isEmpty()) {
            throw new WorkloadIdentityValidationException("MissingCredential",
                    "an identity needs a client secret, a public key (publicKeyJwk), or both");
        }
        Instant now = clock.instant();
        Optional<IssuedSecret> secret = withSecret ? Optional.of(ClientSecretFormat.generate()) : Optional.empty();
        WorkloadIdentity created = db.inTransaction(c -> {
            if (store.findByName(c, name).isPresent()) {
                throw new WorkloadIdentityConflictException("The identity '" + name + "' already exists. "
                        + "Use regenerateSecret to rotate its secret, or delete it first.");
            }
            UUID id = UUID.randomUUID();
            store.insert(c, new Row(id, name, key.map(RegisteredPublicKey::toJson).orElse(null), now, now));
            if (secret.isPresent()) {
                store.insertSecret(c, new StoredSecret(id, Slot.CURRENT, digestOf(secret.get().reveal()), now, null));
            }
            return load(c, store.findById(c, id).orElseThrow());
        });
        afterChange.run();
        return new Created(created, secret);
    }

    public List<WorkloadIdentity> list() {
        return db.read(c -> {
            List<WorkloadIdentity> out = new ArrayList<>();
            for (Row r : store.list(c)) {
                out.add(load(c, r));
            }
            return out;
        });
    }

    /** By name, or by client id when {@code nameOrId} is a UUID. */
    public WorkloadIdentity get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new WorkloadIdentityNotFoundException(nameOrId));
    }

    /** By name, or by client id when {@code nameOrId} is a UUID; empty when there is none (or the argument is neither). */
    public Optional<WorkloadIdentity> find(String nameOrId) {
        Optional<UUID> id = parseClientId(nameOrId);
        if (id.isEmpty() && !WorkloadIdentityName.isValid(nameOrId)) {
            return Optional.empty();
        }
        return db.read(c -> {
            Optional<Row> r = id.isPresent() ? store.findById(c, id.get()) : store.findByName(c, nameOrId);
            return r.isPresent() ? Optional.of(load(c, r.get())) : Optional.empty();
        });
    }

    /** True if the identity existed. Its secrets and key go with it; tokens already minted live out their short lifetime. */
    public boolean delete(String name) {
        WorkloadIdentityName.validate(name);
        boolean deleted = db.inTransaction(c -> store.delete(c, name));
        if (deleted) {
            afterChange.run();
        }
        return deleted;
    }

    /**
     * A new CURRENT secret. The old CURRENT becomes PREVIOUS for the overlap, or stops working at once
     * with {@code revokePrevious}; an older PREVIOUS is always dropped.
     */
    public Rotated regenerateSecret(String name, boolean revokePrevious) {
        WorkloadIdentityName.validate(name);
        Instant now = clock.instant();
        IssuedSecret secret = ClientSecretFormat.generate();
        WorkloadIdentity rotated = db.inTransaction(c -> {
            Row r = store.findByName(c, name).orElseThrow(() -> new WorkloadIdentityNotFoundException(name));
            store.deleteSecret(c, r.id(), Slot.PREVIOUS);
            if (revokePrevious) {
                store.deleteSecret(c, r.id(), Slot.CURRENT);
            } else {
                store.demoteCurrent(c, r.id(), now.plus(overlap));
            }
            store.insertSecret(c, new StoredSecret(r.id(), Slot.CURRENT, digestOf(secret.reveal()), now, null));
            store.touch(c, r.id(), now);
            return load(c, store.findById(c, r.id()).orElseThrow());
        });
        afterChange.run();
        return new Rotated(rotated, secret);
    }

    /** Registers, replaces ({@code Optional.of}) or removes ({@code Optional.empty}) the identity's public key. */
    public WorkloadIdentity updatePublicKey(String name, Optional<String> publicKeyJwk) {
        WorkloadIdentityName.validate(name);
        Optional<RegisteredPublicKey> key = publicKeyJwk.map(RegisteredPublicKey::parse);
        Instant now = clock.instant();
        WorkloadIdentity updated = db.inTransaction(c -> {
            Row r = store.findByName(c, name).orElseThrow(() -> new WorkloadIdentityNotFoundException(name));
            if (key.isEmpty() && store.secrets(c, r.id()).stream().noneMatch(s -> s.slot() == Slot.CURRENT)) {
                throw new WorkloadIdentityValidationException("MissingCredential",
                        "the identity has no client secret, so its public key cannot be removed; "
                                + "regenerate a secret first or delete the identity");
            }
            store.updatePublicKey(c, r.id(), key.map(RegisteredPublicKey::toJson).orElse(null), now);
            return load(c, store.findById(c, r.id()).orElseThrow());
        });
        afterChange.run();
        return updated;
    }

    /**
     * Checks a secret presented with a client id (or name): {@code client_secret_basic} and
     * {@code client_secret_post}. The format is checked before any lookup; the digest is compared
     * with every usable slot in constant time.
     */
    public SecretCheck checkSecret(String clientIdOrName, String presented) {
        if (!ClientSecretFormat.isWellFormed(presented)) {
            return new SecretCheck.Invalid("malformed client secret");
        }
        Optional<UUID> id = parseClientId(clientIdOrName);
        if (id.isEmpty() && !WorkloadIdentityName.isValid(clientIdOrName)) {
            return new SecretCheck.Invalid("unknown client");
        }
        byte[] d = digestOf(presented);
        Instant now = clock.instant();
        return db.read(c -> {
            Optional<Row> r = id.isPresent() ? store.findById(c, id.get()) : store.findByName(c, clientIdOrName);
            if (r.isEmpty()) {
                return new SecretCheck.Invalid("unknown client");
            }
            List<StoredSecret> usable = store.secrets(c, r.get().id()).stream().filter(s -> s.usableAt(now)).toList();
            int match = matchingSlot(d, usable.stream().map(StoredSecret::digest).toList(), MessageDigest::isEqual);
            if (match < 0) {
                return new SecretCheck.Invalid("wrong client secret");
            }
            return new SecretCheck.Valid(load(c, r.get()), usable.get(match).slot() == Slot.PREVIOUS);
        });
    }

    /**
     * Checks a secret presented alone (the managed-identity endpoint's {@code X-IDENTITY-HEADER}): the
     * secret names its identity. The lookup is by keyed digest, which an attacker cannot compute, so the
     * index comparison leaks nothing useful; the row found is compared again in constant time.
     */
    public SecretCheck checkSecret(String presented) {
        if (!ClientSecretFormat.isWellFormed(presented)) {
            return new SecretCheck.Invalid("malformed client secret");
        }
        byte[] d = digestOf(presented);
        Instant now = clock.instant();
        return db.read(c -> {
            Optional<StoredSecret> s = store.secretByDigest(c, d);
            if (s.isEmpty() || !MessageDigest.isEqual(d, s.get().digest())) {
                return new SecretCheck.Invalid("unknown client secret");
            }
            if (!s.get().usableAt(now)) {
                return new SecretCheck.Invalid("expired previous client secret");
            }
            Row r = store.findById(c, s.get().identityId()).orElseThrow();
            return new SecretCheck.Valid(load(c, r), s.get().slot() == Slot.PREVIOUS);
        });
    }

    /**
     * The index of the stored digest equal to {@code presented}, or -1. Every candidate is compared,
     * with no early exit, so the time taken does not say which slot matched or how much of a digest did.
     */
    static int matchingSlot(byte[] presented, List<byte[]> stored, BiPredicate<byte[], byte[]> constantTimeEquals) {
        int match = -1;
        for (int i = 0; i < stored.size(); i++) {
            boolean equal = constantTimeEquals.test(presented, stored.get(i));
            match = equal && match < 0 ? i : match;
        }
        return match;
    }

    /** The client id as a UUID, if {@code s} is one in canonical 8-4-4-4-12 form. */
    static Optional<UUID> parseClientId(String s) {
        if (!WorkloadIdentityName.looksLikeClientId(s)) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(s));
    }

    private byte[] digestOf(String secret) {
        return digest.digestAscii(secret);
    }

    private WorkloadIdentity load(Connection c, Row r) throws SQLException {
        Instant now = clock.instant();
        Optional<WorkloadIdentity.SecretInfo> current = Optional.empty();
        Optional<WorkloadIdentity.SecretInfo> previous = Optional.empty();
        for (StoredSecret s : store.secrets(c, r.id())) {
            if (!s.usableAt(now)) {
                continue;
            }
            WorkloadIdentity.SecretInfo info = new WorkloadIdentity.SecretInfo(s.createdAt(), Optional.ofNullable(s.expiresAt()));
            if (s.slot() == Slot.CURRENT) {
                current = Optional.of(info);
            } else {
                previous = Optional.of(info);
            }
        }
        Optional<RegisteredPublicKey> key = r.publicJwk() == null ? Optional.empty() : Optional.of(RegisteredPublicKey.parse(r.publicJwk()));
        return new WorkloadIdentity(r.id(), r.name(), r.createdAt(), r.updatedAt(), key, current, previous);
    }
}
