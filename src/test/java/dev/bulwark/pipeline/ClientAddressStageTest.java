package dev.bulwark.pipeline;

import dev.bulwark.network.Bypass;
import dev.bulwark.network.Cidr;
import dev.bulwark.network.DefaultAction;
import dev.bulwark.network.ForwardingHeader;
import dev.bulwark.network.IpAddress;
import dev.bulwark.network.NamedNetworks;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.NetworkPolicy;
import dev.bulwark.network.NetworkVerdict;
import dev.bulwark.network.PublicNetworkAccess;
import dev.bulwark.network.IpRuleSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressStageTest {
    private static final String PROXY = "10.0.0.5";
    private static final IpRuleSet TRUSTED = IpRuleSet.of(List.of(Cidr.parse("10.0.0.0/24"), Cidr.parse("2001:db8:ffff::/48")));
    /** Proxies that write X-Forwarded-For (the default). */
    private final ClientAddressStage stage = new ClientAddressStage(TRUSTED);
    /** Proxies that write Forwarded (BULWARK_TRUSTED_PROXY_HEADER=forwarded). */
    private final ClientAddressStage fwdStage = new ClientAddressStage(TRUSTED, ForwardingHeader.FORWARDED);

    private static FakeHead from(String peer) {
        return FakeHead.post("/x").withPeer(peer);
    }

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientWhateverTheHeadersSay() {
        ClientAddressStage none = new ClientAddressStage();
        FakeHead h = from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9")
                .withHeader("Forwarded", "for=203.0.113.9").withHeader("X-Real-IP", "203.0.113.9");
        assertThat(none.decide(h)).isEqualTo(PROXY);
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerChangeNothing() {
        assertThat(stage.decide(from("198.51.100.7").withHeader("X-Forwarded-For", "203.0.113.9"))).isEqualTo("198.51.100.7");
        assertThat(stage.decide(from("198.51.100.7").withHeader("Forwarded", "for=203.0.113.9"))).isEqualTo("198.51.100.7");
        assertThat(stage.decide(from("198.51.100.7").withHeader("X-Real-IP", "203.0.113.9"))).isEqualTo("198.51.100.7");
        // a trusted address in the header does not make an untrusted peer trusted
        assertThat(stage.decide(from("198.51.100.7").withHeader("X-Forwarded-For", "203.0.113.9, 10.0.0.1"))).isEqualTo("198.51.100.7");
    }

    @Test
    void theStageWritesTheDecisionIntoTheContext() {
        RequestContext c = RequestContext.start("rid", from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9"), null);
        StageResult r = stage.apply(c);
        assertThat(((StageResult.Next) r).context().clientAddress()).isEqualTo("203.0.113.9");
    }

    @Test
    void aTrustedProxysChainIsWalkedFromTheRightSkippingTrustedHops() {
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9, 10.0.0.7,10.0.0.8"))).isEqualTo("203.0.113.9");
        // several header lines are one list
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9")
                .withHeader("X-Forwarded-For", "10.0.0.7"))).isEqualTo("203.0.113.9");
        // every hop trusted: the left-most one
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "10.0.0.1, 10.0.0.2"))).isEqualTo("10.0.0.1");
        // a trusted peer without headers is itself the client
        assertThat(stage.decide(from(PROXY))).isEqualTo(PROXY);
        // X-Real-IP is never read
        assertThat(stage.decide(from(PROXY).withHeader("X-Real-IP", "203.0.113.9"))).isEqualTo(PROXY);
    }

    @Test
    void spoofedLeftMostEntriesAreNeverRead() {
        // The client sent "X-Forwarded-For: 1.2.3.4, garbage"; the proxy appended the real address.
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "1.2.3.4, not-an-ip, 198.51.100.20")))
                .isEqualTo("198.51.100.20");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=1.2.3.4, for=unknown, for=198.51.100.20")))
                .isEqualTo("198.51.100.20");
        // a forged trusted address on the left does not help either
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "10.0.0.9, 198.51.100.20")))
                .isEqualTo("198.51.100.20");
    }

    @Test
    void forwardedWhenConfiguredWinsAndItsNodeForms() {
        FakeHead both = from(PROXY).withHeader("X-Forwarded-For", "198.51.100.1").withHeader("Forwarded", "for=203.0.113.9;proto=https");
        assertThat(fwdStage.decide(both)).isEqualTo("203.0.113.9");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "For=\"[2001:db8::1]:4711\""))).isEqualTo("2001:db8::1");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=\"[2001:db8::1]\";by=10.0.0.5"))).isEqualTo("2001:db8::1");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=\"203.0.113.9:8080\""))).isEqualTo("203.0.113.9");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=\"203.0.113.9:_hidden\""))).isEqualTo("203.0.113.9");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=203.0.113.9, for=\"[2001:db8:ffff::2]\"")))
                .isEqualTo("203.0.113.9");
        assertThat(fwdStage.decide(from("2001:db8:ffff::1").withHeader("Forwarded", "for=198.51.100.3"))).isEqualTo("198.51.100.3");
    }

    @Test
    void anythingUnusableWhereTheWalkStopsIsUnknownNeverTheProxy() {
        for (String xff : List.of("", " ", "garbage", "203.0.113.9:80", "[2001:db8::1]", "203.0.113.09", "fe80::1%eth0",
                "203.0.113.9,", "example.com", "203.0.113.9 198.51.100.1")) {
            assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", xff))).as(xff).isEqualTo(ClientAddressStage.UNKNOWN);
        }
        for (String fwd : List.of("for=unknown", "for=_hidden", "for=2001:db8::1", "for=\"[2001:db8::1\"", "proto=https",
                "for=\"203.0.113.9", "for=\"a\\\"b\"", "for=[203.0.113.9]", "for=203.0.113.9:99999", "for=\"[2001:db8::1]x\"",
                "for=203.0.113.9, ")) {
            assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", fwd))).as(fwd).isEqualTo(ClientAddressStage.UNKNOWN);
        }
    }

    @Test
    void onlyTheConfiguredHeaderIsReadNeverTheOther() {
        // Default X-Forwarded-For: a client's own Forwarded passed through by the proxy is ignored.
        FakeHead both = from(PROXY).withHeader("Forwarded", "for=203.0.113.9").withHeader("X-Forwarded-For", "198.51.100.1");
        assertThat(stage.decide(both)).isEqualTo("198.51.100.1");
        assertThat(stage.decide(from(PROXY).withHeader("Forwarded", "for=203.0.113.9"))).isEqualTo(PROXY);
        // Forwarded configured: a client's own X-Forwarded-For is ignored, with or without Forwarded.
        assertThat(fwdStage.decide(both)).isEqualTo("203.0.113.9");
        assertThat(fwdStage.decide(from(PROXY).withHeader("X-Forwarded-For", "198.51.100.1"))).isEqualTo(PROXY);
    }

    @Test
    void theUnknownMarkerIsNoAddressAndIsNotTheHeaderText() {
        assertThat(IpAddress.parseOrNull(ClientAddressStage.UNKNOWN)).isNull();
        String hostile = "<script>\u0000" + "x".repeat(100);
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", hostile))).isEqualTo("unknown");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=\"" + hostile + "\""))).isEqualTo("unknown");
    }

    @Test
    void theWalkStopsAtTheFirstUntrustedHopAndExaminesAtMostMaxHops() {
        // Anything left of the first untrusted hop is never looked at, however much of it there is.
        String junk = "garbage,".repeat(5_000);
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", junk + "198.51.100.20, 10.0.0.7"))).isEqualTo("198.51.100.20");
        assertThat(fwdStage.decide(from(PROXY).withHeader("Forwarded", "for=\"x".repeat(3) + ", for=198.51.100.20;proto=https")))
                .isEqualTo("198.51.100.20");
        // All-trusted chains: up to MAX_HOPS the left-most hop; longer is unknown (fail closed).
        String trusted = "10.0.0.1, " + "10.0.0.2, ".repeat(ClientAddressStage.MAX_HOPS - 2) + "10.0.0.3";
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", trusted))).isEqualTo("10.0.0.1");
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "10.0.0.9, " + trusted))).isEqualTo(ClientAddressStage.UNKNOWN);
        assertThat(stage.decide(from(PROXY).withHeader("X-Forwarded-For", "203.0.113.9, " + trusted))).isEqualTo(ClientAddressStage.UNKNOWN);
        // the cap counts across header lines
        FakeHead lines = from(PROXY);
        for (int i = 0; i <= ClientAddressStage.MAX_HOPS; i++) {
            lines = lines.withHeader("X-Forwarded-For", "10.0.0.4");
        }
        assertThat(stage.decide(lines)).isEqualTo(ClientAddressStage.UNKNOWN);
    }

    @Test
    void anUnknownClientMatchesNoNetworkRuleEvenWhenTheProxysNetworkIsAllowed() {
        NetworkPolicy proxyOnly = NetworkPolicy.compile(
                new NetworkAcls(DefaultAction.Deny, Bypass.None, List.of(Cidr.parse("10.0.0.0/24")), List.of()),
                PublicNetworkAccess.Enabled, NamedNetworks.none());
        assertThat(proxyOnly.evaluate(IpAddress.parseOrNull(ClientAddressStage.UNKNOWN), null, false)).isEqualTo(NetworkVerdict.DENY_FIREWALL);
        assertThat(proxyOnly.evaluate(IpAddress.parseOrNull(PROXY), null, false)).isEqualTo(NetworkVerdict.ALLOW);
    }
}
