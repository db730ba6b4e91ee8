package dev.bulwark.snapshot;

import java.util.Map;

/**
 * Everything the data plane's security stages read, frozen. Built off the hot path from the
 * database and swapped in whole by {@link SnapshotHolder}; readers never lock and never see a
 * half-applied change (an account without its keys, say).
 */
public record Snapshot(long version, Map<String, AccountView> accounts, Map<DigestKey, KeyBinding> keys, AccessRules access,
                       Map<String, Map<String, DeploymentView>> deployments) {

    public static final Snapshot EMPTY = new Snapshot(0, Map.of(), Map.of());

    public Snapshot {
        accounts = Map.copyOf(accounts);
        keys = Map.copyOf(keys);
        java.util.Objects.requireNonNull(access, "access");
        Map<String, Map<String, DeploymentView>> frozen = new java.util.HashMap<>();
        deployments.forEach((account, byName) -> frozen.put(account, Map.copyOf(byName)));
        deployments = Map.copyOf(frozen);
    }

    /** A snapshot without model deployments. */
    public Snapshot(long version, Map<String, AccountView> accounts, Map<DigestKey, KeyBinding> keys, AccessRules access) {
        this(version, accounts, keys, access, Map.of());
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

    /** The account's deployment of that name, or null. */
    public DeploymentView deployment(String account, String name) {
        Map<String, DeploymentView> byName = deployments.get(account);
        return byName == null ? null : byName.get(name);
    }

    /** The account's deployments by name (empty when none). */
    public Map<String, DeploymentView> deployments(String account) {
        return deployments.getOrDefault(account, Map.of());
    }
}
