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

    /** Per load: account -> the workload identity (client id) its vault customer key is used as. */
    private final Map<String, String> grantees = new HashMap<>();
    /** Per load: accounts with a stored envelope whose header does not parse (it cannot be opened either). */
    private final java.util.Set<String> unreadable = new java.util.HashSet<>();
    /** Per load: account -> the key versions its stored envelopes name. Loads are serialised (synchronized get). */
    private final Map<String, java.util.Set<dev.bulwark.crypto.KeyReference>> inUse = new HashMap<>();

    @Override
    public synchronized Snapshot get() {
        Snapshot read = db.read(c -> {
            Map<String, Map<KeyName, String>> keyIds = new HashMap<>();
            Map<DigestKey, KeyBinding> keys = new HashMap<>();
            inUse.clear();
            unreadable.clear();
            grantees.clear();
            for (StoredKey k : store.allKeys(c)) {
                if (k.ciphertext().length > 0 && k.ciphertext()[0] != 0x01) {
                    try {
                        inUse.computeIfAbsent(k.account(), n -> new java.util.HashSet<>()).addAll(keysOf.apply(k.ciphertext()));
                    } catch (RuntimeException e) {
                        // A header that does not parse cannot be opened either: the account is refused below.
                        unreadable.add(k.account());
                    }
                }
                String id = KeyIds.fromDigest(k.digest());
                keys.put(new DigestKey(k.digest()), new KeyBinding(k.account(), k.name(), id));
                keyIds.computeIfAbsent(k.account(), n -> new java.util.EnumMap<>(KeyName.class)).put(k.name(), id);
            }
            Map<String, AccountView> accounts = new HashMap<>();
            for (Account a : store.list(c)) {
                AccountEncryption e = a.properties().encryption();
                if (e.identityClientId() != null && e.customerKey().map(k -> k.source() == dev.bulwark.crypto.KeySource.VAULT).orElse(false)) {
                    grantees.put(a.name(), e.identityClientId());
                }
                Map<KeyName, String> ids = keyIds.getOrDefault(a.name(), Map.of());
                accounts.put(a.name(), new AccountView(a.name(), a.kind(), a.properties().disableLocalAuth(), a.resourceId(),
                        a.location(), ids.get(KeyName.KEY1), ids.get(KeyName.KEY2), policy(a.properties(), networks),
                        outbound(a.properties()), a.properties().encryption().customerKey(), true));
            }
            return new Snapshot(0, accounts, keys, new RbacStore().loadPolicy(c), deployments.load(c));
        });
        return withCustomerKeyStates(read);
    }

    /**
     * Marks accounts whose customer-managed key is not usable now, so the data plane refuses them
     * without touching the key store per request. Asked outside the read transaction: the vault
     * answers from its own.
     */
    /**
     * With {@code identityClientId}, Bulwark uses the vault key as that workload identity: the
     * identity must hold the key's unwrap data action (Key Vault Crypto Service Encryption User,
     * Crypto User, ...) at the key or above. Removing that role assignment revokes, as removing
     * Bulwark's access policy or role does in Azure.
     */
    private boolean granted(Snapshot s, AccountView v) {
        String clientId = grantees.get(v.name());
        return clientId == null || granted(s.access(), clientId, v.customerKey().get().name());
    }

    /** Whether the workload identity {@code clientId} may unwrap with the vault key {@code keyName}. */
    static boolean granted(dev.bulwark.snapshot.AccessRules access, String clientId, String keyName) {
        return access.permitsDataAction(new dev.bulwark.identity.Principal.Workload(clientId, clientId),
                dev.bulwark.identity.rbac.Scope.VAULT + "/keys/" + keyName, dev.bulwark.vault.VaultActions.KEY_UNWRAP);
    }

    private Snapshot withCustomerKeyStates(Snapshot s) {
        Map<String, AccountView> accounts = null;
        for (AccountView v : s.accounts().values()) {
            if (v.customerKey().isPresent() && (unreadable.contains(v.name()) || !granted(s, v)
                    || !customerKeys.usable(v.customerKey().get(), inUse.getOrDefault(v.name(), java.util.Set.of())))) {
                if (accounts == null) {
                    accounts = new HashMap<>(s.accounts());
                }
                accounts.put(v.name(), v.withCustomerKeyUnavailable());
            }
        }
        return accounts == null ? s : new Snapshot(s.version(), accounts, s.keys(), s.access(), s.deployments());
    }
}
