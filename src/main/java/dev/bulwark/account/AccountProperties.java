package dev.bulwark.account;

import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.PublicNetworkAccess;

import java.util.List;

/**
 * The account properties Bulwark enforces today, with ARM's names. A property that is accepted is
 * enforced: properties of features not built yet are refused, never silently stored.
 *
 * @param networkAcls                   the firewall rules; null when none were ever set (everything allowed)
 * @param publicNetworkAccess           whether public listeners answer for the account at all
 * @param restrictOutboundNetworkAccess whether URLs in requests must name a host on {@code allowedFqdnList}
 * @param allowedFqdnList               the hosts outbound URLs may name, as given (validated by
 *                                      {@link dev.bulwark.dlp.AllowedFqdns}); null when never set
 * @param encryption                    service-managed keys only, or a customer-managed key adding a second layer
 */
public record AccountProperties(boolean disableLocalAuth, NetworkAcls networkAcls, PublicNetworkAccess publicNetworkAccess,
                                boolean restrictOutboundNetworkAccess, List<String> allowedFqdnList, AccountEncryption encryption) {
    public static final AccountProperties DEFAULTS = new AccountProperties(false);

    public AccountProperties {
        if (publicNetworkAccess == null) {
            publicNetworkAccess = PublicNetworkAccess.Enabled;
        }
        if (allowedFqdnList != null) {
            allowedFqdnList = List.copyOf(allowedFqdnList);
        }
        if (encryption == null) {
            encryption = AccountEncryption.SERVICE;
        }
    }

    public AccountProperties(boolean disableLocalAuth, NetworkAcls networkAcls, PublicNetworkAccess publicNetworkAccess,
                             boolean restrictOutboundNetworkAccess, List<String> allowedFqdnList) {
        this(disableLocalAuth, networkAcls, publicNetworkAccess, restrictOutboundNetworkAccess, allowedFqdnList, AccountEncryption.SERVICE);
    }

    public AccountProperties(boolean disableLocalAuth, NetworkAcls networkAcls, PublicNetworkAccess publicNetworkAccess) {
        this(disableLocalAuth, networkAcls, publicNetworkAccess, false, null);
    }

    public AccountProperties(boolean disableLocalAuth) {
        this(disableLocalAuth, null, PublicNetworkAccess.Enabled);
    }
}
