package dev.bulwark.account;

import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.PublicNetworkAccess;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ARM PATCH: only what is present changes; tags, when given, replace the old tags, and
 * networkAcls and allowedFqdnList, when given, replace the old value as a whole (as in ARM).
 */
public record AccountPatch(Optional<String> sku, Optional<Map<String, String>> tags, Optional<Boolean> disableLocalAuth,
                           Optional<NetworkAcls> networkAcls, Optional<PublicNetworkAccess> publicNetworkAccess,
                           Optional<Boolean> restrictOutboundNetworkAccess, Optional<List<String>> allowedFqdnList,
                           Optional<AccountEncryption> encryption) {

    public AccountPatch(Optional<String> sku, Optional<Map<String, String>> tags, Optional<Boolean> disableLocalAuth,
                        Optional<NetworkAcls> networkAcls, Optional<PublicNetworkAccess> publicNetworkAccess,
                        Optional<Boolean> restrictOutboundNetworkAccess, Optional<List<String>> allowedFqdnList) {
        this(sku, tags, disableLocalAuth, networkAcls, publicNetworkAccess, restrictOutboundNetworkAccess, allowedFqdnList, Optional.empty());
    }

    public AccountPatch(Optional<String> sku, Optional<Map<String, String>> tags, Optional<Boolean> disableLocalAuth,
                        Optional<NetworkAcls> networkAcls, Optional<PublicNetworkAccess> publicNetworkAccess) {
        this(sku, tags, disableLocalAuth, networkAcls, publicNetworkAccess, Optional.empty(), Optional.empty());
    }

    public AccountPatch(Optional<String> sku, Optional<Map<String, String>> tags, Optional<Boolean> disableLocalAuth) {
        this(sku, tags, disableLocalAuth, Optional.empty(), Optional.empty());
    }

    Account applyTo(Account a, java.time.Instant now) {
        AccountProperties old = a.properties();
        AccountProperties p = new AccountProperties(disableLocalAuth.orElse(old.disableLocalAuth()),
                networkAcls.orElse(old.networkAcls()), publicNetworkAccess.orElse(old.publicNetworkAccess()),
                restrictOutboundNetworkAccess.orElse(old.restrictOutboundNetworkAccess()),
                allowedFqdnList.orElse(old.allowedFqdnList()), encryption.orElse(old.encryption()));
        return new Account(a.name(), a.kind(), a.location(), sku.orElse(a.sku()), tags.orElse(a.tags()), p, a.createdAt(), now);
    }
}
