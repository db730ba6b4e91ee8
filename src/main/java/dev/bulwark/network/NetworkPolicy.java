package dev.bulwark.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An account's network settings compiled for the data plane, held in the snapshot. Immutable;
 * {@link #evaluate} allocates nothing and costs a few comparisons.
 *
 * <p>Evaluation order (docs/networking.md):
 * <ol>
 *   <li>The request came in on a public listener and publicNetworkAccess is Disabled:
 *       DENY_PUBLIC_ACCESS ("Traffic is not from an approved private endpoint.").</li>
 *   <li>The request came in on a private listener: ALLOW. As in Azure, private endpoint traffic is
 *       not subject to the public firewall rules: the private listener is the access control, and
 *       a private network's addresses are not what ip rules are written about.</li>
 *   <li>defaultAction Allow: ALLOW (the rules are kept but do not bite).</li>
 *   <li>defaultAction Deny: ALLOW when the client address is in an ip rule or in a CIDR of a named
 *       network a virtualNetworkRule names, or the listener is one such a network names; otherwise
 *       DENY_FIREWALL. An address that could not be read (null) matches no ip rule; it is never
 *       replaced by the socket peer.</li>
 * </ol>
 * A virtualNetworkRule naming a network the settings do not define matches nothing (deny side);
 * {@link NetworkAcls#checkNetworksExist} reports it when the account is written.
 */
public final class NetworkPolicy {
    /** No networkAcls, public access enabled: the policy of an account that set nothing. */
    public static final NetworkPolicy OPEN = compile(NetworkAcls.ALLOW_ALL, PublicNetworkAccess.Enabled, NamedNetworks.none());

    private final boolean publicAccessDisabled;
    private final boolean denyByDefault;
    private final IpRuleSet allowedAddresses;
    private final Set<String> allowedListeners;

    private NetworkPolicy(boolean publicAccessDisabled, boolean denyByDefault, IpRuleSet allowedAddresses,
                          Set<String> allowedListeners) {
        this.publicAccessDisabled = publicAccessDisabled;
        this.denyByDefault = denyByDefault;
        this.allowedAddresses = allowedAddresses;
        this.allowedListeners = allowedListeners;
    }

    /**
     * Compiles ip rules and the CIDRs of the named networks the rules name into one range set, and
     * their listeners into one set. Under defaultAction Allow nothing is compiled: it would not be read.
     */
    public static NetworkPolicy compile(NetworkAcls acls, PublicNetworkAccess publicNetworkAccess, NamedNetworks networks) {
        boolean deny = acls.defaultAction() == DefaultAction.Deny;
        IpRuleSet addresses = IpRuleSet.EMPTY;
        Set<String> listeners = Set.of();
        if (deny) {
            List<Cidr> cidrs = new ArrayList<>(acls.ipRules());
            Set<String> names = new HashSet<>();
            for (VirtualNetworkRule r : acls.virtualNetworkRules()) {
                networks.find(r.id()).ifPresent(n -> {
                    cidrs.addAll(n.cidrs());
                    names.addAll(n.listeners());
                });
            }
            addresses = IpRuleSet.of(cidrs);
            listeners = Set.copyOf(names);
        }
        return new NetworkPolicy(publicNetworkAccess == PublicNetworkAccess.Disabled, deny, addresses, listeners);
    }

    /**
     * Whether every request is allowed whatever its address and listener (public access enabled,
     * defaultAction Allow): the data plane checks this first and then reads nothing else.
     */
    public boolean isOpen() {
        return !publicAccessDisabled && !denyByDefault;
    }

    /**
     * The verdict for one request.
     *
     * @param clientAddress   the peer's address, 4 or 16 bytes (IPv4-mapped is read as IPv4); null if unknown
     * @param listenerName    the listener the request arrived on; null if unnamed
     * @param listenerPrivate whether that listener is marked private (the private endpoint analogue)
     */
    public NetworkVerdict evaluate(byte[] clientAddress, String listenerName, boolean listenerPrivate) {
        if (!listenerPrivate && publicAccessDisabled) {
            return NetworkVerdict.DENY_PUBLIC_ACCESS;
        }
        if (listenerPrivate || !denyByDefault) {
            return NetworkVerdict.ALLOW;
        }
        if (allowedAddresses.contains(clientAddress)) {
            return NetworkVerdict.ALLOW;
        }
        if (listenerName != null && allowedListeners.contains(listenerName)) {
            return NetworkVerdict.ALLOW;
        }
        return NetworkVerdict.DENY_FIREWALL;
    }

    @Override
    public String toString() {
        return "NetworkPolicy[publicAccess=" + (publicAccessDisabled ? "Disabled" : "Enabled")
                + ", default=" + (denyByDefault ? "Deny" : "Allow") + ", ranges=" + allowedAddresses.rangeCount()
                + ", listeners=" + allowedListeners + "]";
    }
}
