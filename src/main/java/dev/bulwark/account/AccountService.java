package dev.bulwark.account;

import dev.bulwark.snapshot.SnapshotHolder;
import dev.bulwark.store.Database;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Account lifecycle and keys. Every change commits to the store and then swaps the data-plane
 * snapshot before returning, so it takes effect on the very next request. Blocking: call from a
 * worker thread, never an event loop.
 */
public final class AccountService {
    private final Database db;
    private final AccountStore store = new AccountStore();
    private final AccountKeyCipher cipher;
    private final SnapshotHolder snapshot;
    private final Clock clock;
    private final dev.bulwark.network.NamedNetworks networks;
    private final CustomerKeyAccess customerKeys;

    public AccountService(Database db, AccountKeyCipher cipher, SnapshotHolder snapshot, Clock clock) {
        this(db, cipher, snapshot, clock, dev.bulwark.network.NamedNetworks.none(), CustomerKeyAccess.NONE);
    }

    /**
     * @param networks     the named networks from settings, which virtual network rules may name
     * @param customerKeys checks and uses the customer-managed keys accounts name
     */
    public AccountService(Database db, AccountKeyCipher cipher, SnapshotHolder snapshot, Clock clock,
                          dev.bulwark.network.NamedNetworks networks, CustomerKeyAccess customerKeys) {
        this.networks = networks;
        this.customerKeys = customerKeys;
        this.db = db;
        this.cipher = cipher;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    /** The named networks from settings (the accounts API checks virtual network rules against them). */
    public dev.bulwark.network.NamedNetworks networks() {
        return networks;
    }

    public record PutResult(Account account, boolean created) {
    }

    public PutResult put(String name, AccountSpec spec) {
        AccountName.validate(name);
        Instant now = clock.instant();
        customerKeys.check(spec.properties().encryption());
        checkGrant(spec.properties().encryption());
        PutResult result = db.inTransaction(c -> {
            Optional<Account> existing = store.find(c, name);
            if (existing.isEmpty()) {
                Account a = new Account(name, spec.kind(), spec.location(), spec.sku(), spec.tags(), spec.properties(), now, now);
                store.insert(c, a);
                for (KeyName slot : KeyName.values()) {
                    store.putKey(c, protect(a, slot, AccountKeyFormat.generate()), now);
                }
                return new PutResult(a, true);
            }
            Account old = existing.get();
            if (old.kind() != spec.kind()) {
                throw new AccountConflictException("The kind of account '" + name + "' is " + old.kind() + " and cannot be changed.");
            }
            if (!old.location().equals(spec.location())) {
                throw new AccountConflictException("The location of account '" + name + "' is " + old.location() + " and cannot be changed.");
            }
            Account a = new Account(name, old.kind(), old.location(), spec.sku(), spec.tags(), spec.properties(), old.createdAt(), now);
            store.update(c, a);
            if (!old.properties().encryption().equals(a.properties().encryption())) {
                rewrapKeys(c, a, now);
            }
            return new PutResult(a, false);
        });
        snapshot.refresh();
        return result;
    }

    public Account patch(String name, AccountPatch patch) {
        Instant now = clock.instant();
        patch.encryption().ifPresent(customerKeys::check);
        patch.encryption().ifPresent(this::checkGrant);
        Account updated = db.inTransaction(c -> {
            Account a = store.find(c, name).orElseThrow(() -> new AccountNotFoundException(name));
            Account next = patch.applyTo(a, now);
            store.update(c, next);
            if (!a.properties().encryption().equals(next.properties().encryption())) {
                // Turning CMK on, off or to another key: the account's data moves to the new layers
                // in the same transaction, so no row is left under a key the account no longer names.
                rewrapKeys(c, next, now);
            }
            return next;
        });
        snapshot.refresh();
        return updated;
    }

    public Account get(String name) {
        return db.read(c -> store.find(c, name)).orElseThrow(() -> new AccountNotFoundException(name));
    }

    public List<Account> list() {
        return db.read(store::list);
    }

    /** True if the account existed. Its keys go with it. */
    public boolean delete(String name) {
        boolean deleted = db.inTransaction(c -> store.delete(c, name));
        if (deleted) {
            snapshot.refresh();
        }
        return deleted;
    }

    public AccountKeys listKeys(String name) {
        requireCustomerKeyGrant(name);
        return db.read(c -> {
            if (store.find(c, name).isEmpty()) {
                throw new AccountNotFoundException(name);
            }
            return reveal(name, store.keys(c, name));
        });
    }

    /**
     * Re-wraps the account's data keys under the newest version of each key it uses (after a
     * customer key or service key rotation). Only data keys change; returns how many objects did.
     */
    public int rewrap(String name) {
        requireCustomerKeyGrant(name);
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Account a = store.find(c, name).orElseThrow(() -> new AccountNotFoundException(name));
            return rewrapKeys(c, a, now);
        });
    }

    /**
     * Rewrites key rows written before the keyring (plain {@link dev.bulwark.crypto.SecretBox}) as
     * envelopes under each account's layers. Run once at startup; returns how many rows changed.
     * An account whose customer key is unusable keeps its old rows until the next start.
     */
    public int upgradeStoredKeys() {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            int changed = 0;
            for (StoredKey k : store.allKeys(c)) {
                if (!cipher.isLegacy(k)) {
                    continue;
                }
                Optional<Account> a = store.find(c, k.account());
                if (a.isEmpty()) {
                    continue;
                }
                try {
                    store.putKey(c, cipher.rewrap(k, a.get().properties().encryption().customerKey()), now);
                    changed++;
                } catch (dev.bulwark.crypto.KeyAccessDeniedException e) {
                    java.util.logging.Logger.getLogger(AccountService.class.getName()).warning("account " + k.account()
                            + ": its keys stay in the old format until its customer-managed key is usable again (" + e.getMessage() + ")");
                }
            }
            return changed;
        });
    }

    /** A customer key used as a workload identity needs that identity's unwrap grant on the key, now. */
    private void checkGrant(AccountEncryption e) {
        if (e.identityClientId() == null || e.customerKey().isEmpty()
                || e.customerKey().get().source() != dev.bulwark.crypto.KeySource.VAULT) {
            return;
        }
        if (!CustomerKeyStates.granted(snapshot.current().access(), e.identityClientId(), e.customerKey().get().name())) {
            throw new AccountValidationException("CustomerManagedKeyAccessDenied", "the identity '" + e.identityClientId()
                    + "' holds no role that may unwrap with the vault key '" + e.customerKey().get().name()
                    + "' (assign Key Vault Crypto Service Encryption User at /vault/keys/" + e.customerKey().get().name() + ")");
        }
    }

    /**
     * The snapshot's verdict on the account's customer key: what the key store alone cannot say (the
     * grant to the identity the account names, a version its data still needs) fails here at once.
     */
    private void requireCustomerKeyGrant(String name) {
        dev.bulwark.snapshot.AccountView v = snapshot.current().account(name);
        if (v != null && !v.customerKeyUsable()) {
            throw new CustomerKeyDeniedException(name, null);
        }
    }

    private int rewrapKeys(java.sql.Connection c, Account a, Instant now) throws java.sql.SQLException {
        int changed = 0;
        for (StoredKey k : store.keys(c, a.name())) {
            StoredKey next;
            try {
                next = cipher.rewrap(k, a.properties().encryption().customerKey());
            } catch (dev.bulwark.crypto.KeyAccessDeniedException e) {
                throw new CustomerKeyDeniedException(a.name(), e);
            }
            if (next != k) {
                store.putKey(c, next, now);
                changed++;
            }
        }
        return changed;
    }

    private StoredKey protect(Account a, KeyName slot, String key) {
        try {
            return cipher.protect(a.name(), slot, key, a.properties().encryption().customerKey());
        } catch (dev.bulwark.crypto.KeyAccessDeniedException e) {
            throw new CustomerKeyDeniedException(a.name(), e);
        }
    }

    /** Replaces one key; the other is untouched. The old key stops working before this returns. */
    public AccountKeys regenerate(String name, KeyName slot) {
        requireCustomerKeyGrant(name);
        Instant now = clock.instant();
        AccountKeys keys = db.inTransaction(c -> {
            Account a = store.find(c, name).orElseThrow(() -> new AccountNotFoundException(name));
            store.putKey(c, protect(a, slot, AccountKeyFormat.generate()), now);
            return reveal(name, store.keys(c, name));
        });
        snapshot.refresh();
        return keys;
    }

    private AccountKeys reveal(String account, List<StoredKey> stored) {
        Map<KeyName, String> clear = new EnumMap<>(KeyName.class);
        for (StoredKey k : stored) {
            try {
                clear.put(k.name(), cipher.reveal(k));
            } catch (dev.bulwark.crypto.KeyAccessDeniedException e) {
                throw new CustomerKeyDeniedException(account, e);
            }
        }
        if (clear.size() != 2) {
            throw new IllegalStateException("account has " + clear.size() + " keys instead of 2");
        }
        return new AccountKeys(clear.get(KeyName.KEY1), clear.get(KeyName.KEY2));
    }
}
