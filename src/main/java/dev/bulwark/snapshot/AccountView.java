package dev.bulwark.snapshot;

import dev.bulwark.account.AccountKind;
import dev.bulwark.account.KeyName;
import dev.bulwark.network.NetworkPolicy;

/**
 * What the data plane needs to know about an account, and nothing it does not.
 *
 * @param key1Id public id of the current key1 (see {@link dev.bulwark.account.KeyIds}); null if none
 * @param key2Id public id of the current key2
 * @param network the account's compiled network rules ({@link NetworkPolicy#OPEN} when none)
 */
public record AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId,
                          String location, String key1Id, String key2Id, NetworkPolicy network) {

    public AccountView {
        if (network == null) {
            network = NetworkPolicy.OPEN;
        }
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
        return new AccountView(name, kind, disableLocalAuth, resourceId, location, key1Id, key2Id, policy);
    }

    public String keyId(KeyName slot) {
        return slot == KeyName.KEY1 ? key1Id : key2Id;
    }
}
