package dev.bulwark.account;

import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.PublicNetworkAccess;

/**
 * The account properties Bulwark enforces today, with ARM's names. A property that is accepted is
 * enforced: properties of features not built yet are refused, never silently stored.
 *
 * @param networkAcls         the firewall rules; null when none were ever set (everything allowed)
 * @param publicNetworkAccess whether public listeners answer for the account at all
 */
public record AccountProperties(boolean disableLocalAuth, NetworkAcls networkAcls, PublicNetworkAccess publicNetworkAccess) {
    public static final AccountProperties DEFAULTS = new AccountProperties(false);

    public AccountProperties {
        if (publicNetworkAccess == null) {
            publicNetworkAccess = PublicNetworkAccess.Enabled;
        }
    }

    public AccountProperties(boolean disableLocalAuth) {
        this(disableLocalAuth, null, PublicNetworkAccess.Enabled);
    }
}
