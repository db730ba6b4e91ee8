package dev.bulwark.snapshot;

import java.util.Map;

/**
 * Everything the data plane's security stages read, frozen. Built off the hot path from the
 * database and swapped in whole by {@link SnapshotHolder}; readers never lock and never see a
 * half-applied change (an account without its keys, say).
 */
public record Snapshot(long version, Map<String, AccountView> accounts, Map<DigestKey, KeyBinding> keys, AccessRules access) {

    public static final Snapshot EMPTY = new Snapshot(0, Map.of(), Map.of());

    public Snapshot {
        accounts = Map.copyOf(accounts);
        keys = Map.copyOf(keys);
        java.util.Objects.requireNonNull(access, "access");
    }

    /** A snapshot with no role assignments (keys and the bootstrap administrator only). */
    public Snapshot(long version, Map<String, AccountView> accounts, Map<DigestKey, KeyBinding> keys) {
        this(version, accounts, keys, AccessRules.KEYS_AND_BOOTSTRAP_ONLY);
    }

    public AccountView account(String name) {
        return accounts.get(name);
    }

    public KeyBinding key(DigestKey digest) {
        return keys.get(digest);
    }
}
