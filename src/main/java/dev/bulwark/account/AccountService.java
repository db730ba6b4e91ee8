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

    public AccountService(Database db, AccountKeyCipher cipher, SnapshotHolder snapshot, Clock clock) {
        this(db, cipher, snapshot, clock, dev.bulwark.network.NamedNetworks.none());
    }

    /** @param networks the named networks from settings, which virtual network rules may name */
    public AccountService(Database db, AccountKeyCipher cipher, SnapshotHolder snapshot, Clock clock, dev.bulwark.network.NamedNetworks networks) {
        this.networks = networks;
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
        PutResult result = db.inTransaction(c -> {
            Optional<Account> existing = store.find(c, name);
            if (existing.isEmpty()) {
                Account a = new Account(name, spec.kind(), spec.location(), spec.sku(), spec.tags(), spec.properties(), now, now);
                store.insert(c, a);
                for (KeyName slot : KeyName.values()) {
                    store.putKey(c, cipher.protect(name, slot, AccountKeyFormat.generate()), now);
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
            return new PutResult(a, false);
        });
        snapshot.refresh();
        return result;
    }

    public Account patch(String name, AccountPatch patch) {
        Instant now = clock.instant();
        Account updated = db.inTransaction(c -> {
            Account a = store.find(c, name).orElseThrow(() -> new AccountNotFoundException(name));
            Account next = patch.applyTo(a, now);
            store.update(c, next);
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
        return db.read(c -> {
            if (store.find(c, name).isEmpty()) {
                throw new AccountNotFoundException(name);
            }
            return reveal(store.keys(c, name));
        });
    }

    /** Replaces one key; the other is untouched. The old key stops working before this returns. */
    public AccountKeys regenerate(String name, KeyName slot) {
        Instant now = clock.instant();
        AccountKeys keys = db.inTransaction(c -> {
            if (store.find(c, name).isEmpty()) {
                throw new AccountNotFoundException(name);
            }
            store.putKey(c, cipher.protect(name, slot, AccountKeyFormat.generate()), now);
            return reveal(store.keys(c, name));
        });
        snapshot.refresh();
        return keys;
    }

    private AccountKeys reveal(List<StoredKey> stored) {
        Map<KeyName, String> clear = new EnumMap<>(KeyName.class);
        for (StoredKey k : stored) {
            clear.put(k.name(), cipher.reveal(k));
        }
        if (clear.size() != 2) {
            throw new IllegalStateException("account has " + clear.size() + " keys instead of 2");
        }
        return new AccountKeys(clear.get(KeyName.KEY1), clear.get(KeyName.KEY2));
    }
}
