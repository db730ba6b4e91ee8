package dev.bulwark.snapshot;

import dev.bulwark.account.AccountKind;
import dev.bulwark.account.KeyName;
import dev.bulwark.dlp.DlpPolicy;
import dev.bulwark.network.NetworkPolicy;

/**
 * What the data plane needs to know about an account, and nothing it does not.
 *
 * @param key1Id public id of the current key1 (see {@link dev.bulwark.account.KeyIds}); null if none
 * @param key2Id public id of the current key2
 * @param network the account's compiled network rules ({@link NetworkPolicy#OPEN} when none)
 * @param outbound the account's outbound URL policy ({@link DlpPolicy#unrestricted()} when the flag is off)
 */
public record AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId,
                          String location, String key1Id, String key2Id, NetworkPolicy network, DlpPolicy outbound,
                          java.util.Optional<dev.bulwark.crypto.CustomerKey> customerKey, boolean customerKeyUsable) {

    public AccountView {
        if (customerKey == null) {
            customerKey = java.util.Optional.empty();
        }
        if (network == null) {
            network = NetworkPolicy.OPEN;
        }
        if (outbound == null) {
            outbound = DlpPolicy.unrestricted();
        }
    }

    /** An account whose data is under service-managed keys only. */
    public AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId,
                       String location, String key1Id, String key2Id, NetworkPolicy network, DlpPolicy outbound) {
        this(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, network, outbound, java.util.Optional.empty(), true);
    }

    /** An account without outbound URL restrictions. */
    public AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId,
                       String location, String key1Id, String key2Id, NetworkPolicy network) {
        this(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, network, DlpPolicy.unrestricted());
    }

    /** An account without network rules. */
    public AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId,
                       String location, String key1Id, String key2Id) {
        this(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, NetworkPolicy.OPEN);
    }

    /** An account with no keys yet, for tests and tools. */
    public static AccountView of(String name, AccountKind kind, boolean disableLocalAuth) {
        return new AccountView(name, kind, disableLocalAuth, "/accounts/" + name, "local", null, null);
    }

    /** The same account with other network rules (tests and tools). */
    public AccountView withNetwork(NetworkPolicy policy) {
        return new AccountView(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, policy, outbound,
                customerKey, customerKeyUsable);
    }

    /** The same account, its customer-managed key not usable now: the data plane refuses it. */
    public AccountView withCustomerKeyUnavailable() {
        return new AccountView(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, network, outbound,
                customerKey, false);
    }

    public String keyId(KeyName slot) {
        return slot == KeyName.KEY1 ? key1Id : key2Id;
    }
}
