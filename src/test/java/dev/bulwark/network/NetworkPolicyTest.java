package dev.bulwark.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static dev.bulwark.network.NetworkVerdict.ALLOW;
import static dev.bulwark.network.NetworkVerdict.DENY_FIREWALL;
import static dev.bulwark.network.NetworkVerdict.DENY_PUBLIC_ACCESS;
import static org.assertj.core.api.Assertions.assertThat;

class NetworkPolicyTest {
    private static final NamedNetworks NETWORKS = NamedNetworks.of(
            new NamedNetwork("corp", List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), Set.of("internal")),
            new NamedNetwork("lab", List.of(Cidr.parse("192.0.2.0/24")), Set.of("lab-lan")));

    private static final NetworkAcls DENY = new NetworkAcls(DefaultAction.Deny, Bypass.None,
            List.of(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32")),
            List.of(new VirtualNetworkRule("corp", false), new VirtualNetworkRule("ghost", true)));
    private static final NetworkAcls ALLOW_WITH_RULES = new NetworkAcls(DefaultAction.Allow, Bypass.None,
            DENY.ipRules(), DENY.virtualNetworkRules());

    /**
     * The evaluation order, one row per case: public access, default action, client, listener name,
     * listener private, expected verdict.
     */
    @ParameterizedTest(name = "{0} {1} {2} on {3} (private={4}) -> {5}")
    @CsvSource({
            // 1) public access disabled refuses every public listener, whatever the rules say
            "Disabled, Deny,  203.0.113.9, public,   false, DENY_PUBLIC_ACCESS",
            "Disabled, Allow, 198.51.100.1, public,  false, DENY_PUBLIC_ACCESS",
            "Disabled, Deny,  10.1.2.3,    internal, false, DENY_PUBLIC_ACCESS",
            // 2) private listeners bypass the firewall rules (Azure private endpoints do)
            "Disabled, Deny,  198.51.100.1, private, true,  ALLOW",
            "Enabled,  Deny,  198.51.100.1, private, true,  ALLOW",
            // 3) defaultAction Allow lets public traffic through; the rules do not bite
            "Enabled,  Allow, 198.51.100.1, public,  false, ALLOW",
            // 4) Deny: ip rules, named networks' CIDRs and listeners allow; nothing else does
            "Enabled,  Deny,  203.0.113.9, public,   false, ALLOW",
            "Enabled,  Deny,  2001:db8::5, public,   false, ALLOW",
            "Enabled,  Deny,  ::ffff:203.0.113.9, public, false, ALLOW",
            "Enabled,  Deny,  10.1.2.3,    public,   false, ALLOW",
            "Enabled,  Deny,  fd12::1,     public,   false, ALLOW",
            "Enabled,  Deny,  198.51.100.1, internal, false, ALLOW",
            "Enabled,  Deny,  198.51.100.1, public,  false, DENY_FIREWALL",
            "Enabled,  Deny,  2001:db9::1, public,   false, DENY_FIREWALL",
            // a network the rules do not name does not allow, neither by CIDR nor by listener
            "Enabled,  Deny,  192.0.2.1,   public,   false, DENY_FIREWALL",
            "Enabled,  Deny,  198.51.100.1, lab-lan, false, DENY_FIREWALL",
    })
    void evaluationOrder(PublicNetworkAccess access, DefaultAction action, String client, String listener,
                         boolean listenerPrivate, NetworkVerdict expected) {
        NetworkPolicy policy = NetworkPolicy.compile(action == DefaultAction.Deny ? DENY : ALLOW_WITH_RULES, access, NETWORKS);
        assertThat(policy.evaluate(IpAddress.parse(client), listener, listenerPrivate)).isEqualTo(expected);
    }

    @Test
    void anAccountThatSetNothingIsOpen() {
        assertThat(NetworkPolicy.OPEN.evaluate(IpAddress.parse("198.51.100.1"), "public", false)).isEqualTo(ALLOW);
        assertThat(NetworkPolicy.OPEN.evaluate(null, null, false)).isEqualTo(ALLOW);
    }

    @Test
    void anUnknownClientAddressOrListenerIsDeniedUnderDeny() {
        NetworkPolicy policy = NetworkPolicy.compile(DENY, PublicNetworkAccess.Enabled, NETWORKS);
        assertThat(policy.evaluate(null, null, false)).isEqualTo(DENY_FIREWALL);
        assertThat(policy.evaluate(new byte[3], "public", false)).isEqualTo(DENY_FIREWALL);
    }

    @Test
    void denyWithNoRulesDeniesAllPublicTraffic() {
        NetworkPolicy policy = NetworkPolicy.compile(new NetworkAcls(DefaultAction.Deny, Bypass.None, List.of(), List.of()),
                PublicNetworkAccess.Enabled, NETWORKS);
        assertThat(policy.evaluate(IpAddress.parse("10.1.2.3"), "internal", false)).isEqualTo(DENY_FIREWALL);
        assertThat(policy.evaluate(IpAddress.parse("10.1.2.3"), "private", true)).isEqualTo(ALLOW);
    }

    @Test
    void aRuleNamingAnUndefinedNetworkMatchesNothing() {
        NetworkAcls acls = new NetworkAcls(DefaultAction.Deny, Bypass.None, List.of(),
                List.of(new VirtualNetworkRule("ghost", false)));
        NetworkPolicy policy = NetworkPolicy.compile(acls, PublicNetworkAccess.Enabled, NETWORKS);
        assertThat(policy.evaluate(IpAddress.parse("10.1.2.3"), "internal", false)).isEqualTo(DENY_FIREWALL);
    }

    @Test
    void refusalsCarryAReasonForTheAuditRecord() {
        assertThat(DENY_FIREWALL.allowed()).isFalse();
        assertThat(DENY_PUBLIC_ACCESS.reason()).contains("public network access");
        assertThat(ALLOW.allowed()).isTrue();
    }
}
