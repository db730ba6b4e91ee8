package dev.bulwark.account;

import dev.bulwark.deployment.DeploymentSnapshotLoader;
import dev.bulwark.dlp.AllowedFqdns;
import dev.bulwark.dlp.DlpPolicy;
import dev.bulwark.identity.rbac.RbacStore;
import dev.bulwark.network.NamedNetworks;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.NetworkPolicy;
import dev.bulwark.network.PublicNetworkAccess;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.DigestKey;
import dev.bulwark.snapshot.KeyBinding;
import dev.bulwark.snapshot.Snapshot;
import dev.bulwark.store.Database;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Reads accounts, key digests, the access policy (roles and assignments) and model deployments from
 * the store into a data-plane snapshot, in one read transaction.
 */
public final class AccountSnapshotLoader implements Supplier<Snapshot> {
    private static final Logger LOG = Logger.getLogger(AccountSnapshotLoader.class.getName());
    private final Database db;
    private final AccountStore store = new AccountStore();
    private final DeploymentSnapshotLoader deployments;
    private final NamedNetworks networks;
    private final CustomerKeyAccess customerKeys;
    private final java.util.function.Function<byte[], java.util.List<dev.bulwark.crypto.KeyReference>> keysOf;

    /** Deployment credentials resolve against the process environment, with no state directory to protect. */
    public AccountSnapshotLoader(Database db) {
        this(db, new DeploymentSnapshotLoader(System.getenv(), null));
    }

    public AccountSnapshotLoader(Database db, DeploymentSnapshotLoader deployments) {
        this(db, deployments, NamedNetworks.none());
    }

    /** @param networks the named networks from settings, which virtual network rules name */
    public AccountSnapshotLoader(Database db, DeploymentSnapshotLoader deployments, NamedNetworks networks) {
        this(db, deployments, networks, CustomerKeyAccess.NONE, envelope -> java.util.List.of());
    }

    /**
     * @param customerKeys tells whether each account's customer-managed key is usable now
     * @param keysOf       the keys a stored envelope names (its header; nothing is decrypted)
     */
    public AccountSnapshotLoader(Database db, DeploymentSnapshotLoader deployments, NamedNetworks networks,
                                 CustomerKeyAccess customerKeys,
                                 java.util.function.Function<byte[], java.util.List<dev.bulwark.crypto.KeyReference>> keysOf) {
        this.customerKeys = customerKeys;
        this.keysOf = keysOf;
        this.networks = networks;
        this.db = db;
        this.deployments = deployments;
    }

    /**
     * Compiles an account's network settings against the named networks from settings. A virtual
     * network rule naming a network no longer defined matches nothing (the deny side); the account
     * API refuses such rules when written unless they say ignoreMissingVnetServiceEndpoint.
     */
    static NetworkPolicy policy(AccountProperties p, NamedNetworks networks) {
        if (p.networkAcls() == null && p.publicNetworkAccess() == PublicNetworkAccess.Enabled) {
            return NetworkPolicy.OPEN;
        }
        return NetworkPolicy.compile(p.networkAcls() == null ? NetworkAcls.ALLOW_ALL : p.networkAcls(),
                p.publicNetworkAccess(), networks);
    }

    /**
     * Compiles an account's outbound URL settings. The list was validated when it was stored; should
     * it not compile now (a stricter version of the rules), the account fails closed: every outbound
     * URL is refused.
     */
    static DlpPolicy outbound(AccountProperties p) {
        if (!p.restrictOutboundNetworkAccess()) {
            return DlpPolicy.unrestricted();
        }
        if (p.allowedFqdnList() == null) {
            return DlpPolicy.restrictedTo(AllowedFqdns.none());
        }
        try {
            return DlpPolicy.restrictedTo(AllowedFqdns.of(p.allowedFqdnList()));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "allowedFqdnList no longer compiles, refusing every outbound URL: " + e.getMessage());
            return DlpPolicy.restrictedTo(AllowedFqdns.none());
        }
    }

    @Override
    public Snapshot get() {
        CustomerKeyStates customerKeyStates = new CustomerKeyStates(keysOf);
        Snapshot read = db.read(c -> {
            Map<String, Map<KeyName, String>> keyIds = new HashMap<>();
            Map<DigestKey, KeyBinding> keys = new HashMap<>();
            for (StoredKey k : store.allKeys(c)) {
                customerKeyStates.envelope(k.account(), k.ciphertext());
                String id = KeyIds.fromDigest(k.digest());
                keys.put(new DigestKey(k.digest()), new KeyBinding(k.account(), k.name(), id));
                keyIds.computeIfAbsent(k.account(), n -> new java.util.EnumMap<>(KeyName.class)).put(k.name(), id);
            }
            Map<String, AccountView> accounts = new HashMap<>();
            for (Account a : store.list(c)) {
                customerKeyStates.account(a);
                Map<KeyName, String> ids = keyIds.getOrDefault(a.name(), Map.of());
                accounts.put(a.name(), new AccountView(a.name(), a.kind(), a.properties().disableLocalAuth(), a.resourceId(),
                        a.location(), ids.get(KeyName.KEY1), ids.get(KeyName.KEY2), policy(a.properties(), networks),
                        outbound(a.properties()), a.properties().encryption().customerKey(), true));
            }
            return new Snapshot(0, accounts, keys, new RbacStore().loadPolicy(c), deployments.load(c));
        });
        // Asked outside the read transaction: the vault answers from its own, the HSM from the token.
        return customerKeyStates.apply(read, customerKeys);
    }
}
