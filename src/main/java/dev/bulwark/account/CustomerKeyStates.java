package dev.bulwark.account;

import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.Scope;
import dev.bulwark.snapshot.AccessRules;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;
import dev.bulwark.vault.VaultActions;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One snapshot load's view of customer-managed keys: what each account's stored envelopes need
 * (read from their headers, nothing decrypted) and which identity uses each vault key. Applied to
 * the loaded snapshot, it marks the accounts whose data cannot be read now, so the data plane
 * refuses them with one field read instead of a key-store round trip per request.
 */
final class CustomerKeyStates {

    private final Function<byte[], List<KeyReference>> keysOf;
    private final Map<String, Set<KeyReference>> inUse = new HashMap<>();
    /** Accounts with an envelope whose header does not parse (it cannot be opened either). */
    private final Set<String> unreadable = new HashSet<>();
    /** Account -> the workload identity (client id) its vault key is used as. */
    private final Map<String, String> grantees = new HashMap<>();

    CustomerKeyStates(Function<byte[], List<KeyReference>> keysOf) {
        this.keysOf = keysOf;
    }

    void envelope(String account, byte[] stored) {
        // Rows written before the keyring are not envelopes: no header to read.
        if (stored.length == 0 || dev.bulwark.crypto.SecretBox.isSealedByThis(stored)) {
            return;
        }
        try {
            inUse.computeIfAbsent(account, n -> new HashSet<>()).addAll(keysOf.apply(stored));
        } catch (RuntimeException e) {
            unreadable.add(account);
        }
    }

    void account(Account a) {
        AccountEncryption e = a.properties().encryption();
        if (e.identityClientId() != null && e.customerKey().map(k -> k.source() == KeySource.VAULT).orElse(false)) {
            grantees.put(a.name(), e.identityClientId());
        }
    }

    /** The snapshot with every account whose customer key is unusable now marked so. */
    Snapshot apply(Snapshot s, CustomerKeyAccess access) {
        Map<String, AccountView> accounts = null;
        for (AccountView v : s.accounts().values()) {
            if (v.customerKey().isPresent() && !usable(s, v, access)) {
                if (accounts == null) {
                    accounts = new HashMap<>(s.accounts());
                }
                accounts.put(v.name(), v.withCustomerKeyUnavailable());
            }
        }
        return accounts == null ? s : new Snapshot(s.version(), accounts, s.keys(), s.access(), s.deployments());
    }

    private boolean usable(Snapshot s, AccountView v, CustomerKeyAccess access) {
        if (unreadable.contains(v.name())) {
            return false;
        }
        String clientId = grantees.get(v.name());
        if (clientId != null && !granted(s.access(), clientId, v.customerKey().get().name())) {
            return false;
        }
        return access.usable(v.customerKey().get(), inUse.getOrDefault(v.name(), Set.of()));
    }

    /**
     * With {@code identityClientId}, Bulwark uses the vault key as that workload identity: the
     * identity must hold the key's unwrap data action (Key Vault Crypto Service Encryption User,
     * Crypto User, ...) at the key or above. Removing that role assignment revokes, as removing
     * Bulwark's role on the key does in Azure.
     */
    static boolean granted(AccessRules access, String clientId, String keyName) {
        return access.permitsDataAction(new Principal.Workload(clientId, clientId), Scope.VAULT + "/keys/" + keyName,
                VaultActions.KEY_UNWRAP);
    }
}
