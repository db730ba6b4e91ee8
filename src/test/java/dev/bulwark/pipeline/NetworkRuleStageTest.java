package dev.bulwark.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.account.AccountKind;
import dev.bulwark.network.NamedNetworks;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.NetworkPolicy;
import dev.bulwark.network.PublicNetworkAccess;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkRuleStageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final NetworkRuleStage stage = new NetworkRuleStage();

    private static NetworkPolicy policy(String aclsJson, PublicNetworkAccess pna) throws Exception {
        return NetworkPolicy.compile(NetworkAcls.fromJson(JSON.readTree(aclsJson)), pna, NamedNetworks.none());
    }

    private StageResult run(NetworkPolicy policy, String peer) {
        AccountView account = AccountView.of("alice", AccountKind.TextAnalytics, false).withNetwork(policy);
        RequestContext c = RequestContext.start("rid", FakeHead.post("/accounts/alice/x").withPeer(peer),
                        new Snapshot(1, Map.of("alice", account), Map.of()))
                .withAccount(account, "/x");
        return stage.apply(c);
    }

    private static String body(StageResult r) {
        return new String(((StageResult.Reject) r).rejection().body(), StandardCharsets.UTF_8);
    }

    @Test
    void anAccountWithoutRulesPassesWithoutReadingTheAddress() {
        AccountView account = AccountView.of("alice", AccountKind.TextAnalytics, false);
        assertThat(account.network()).isSameAs(NetworkPolicy.OPEN);
        RequestContext c = RequestContext.start("rid", new ThrowingHead(), new Snapshot(1, Map.of(), Map.of()))
                .withAccount(account, "/x");
        assertThat(stage.apply(c)).isInstanceOf(StageResult.Next.class);
    }

    @Test
    void denyWithAMatchingRuleAllowsAndOthersGetTheFirewall403() throws Exception {
        NetworkPolicy p = policy("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"},{\"value\":\"2001:db8::1\"}]}",
                PublicNetworkAccess.Enabled);
        assertThat(run(p, "203.0.113.7")).isInstanceOf(StageResult.Next.class);
        assertThat(run(p, "2001:db8::1")).isInstanceOf(StageResult.Next.class);
        assertThat(run(p, "::ffff:203.0.113.9")).isInstanceOf(StageResult.Next.class);
        StageResult r = run(p, "198.51.100.1");
        Rejection rejection = ((StageResult.Reject) r).rejection();
        assertThat(rejection.status()).isEqualTo(403);
        assertThat(rejection.audited()).isTrue();
        assertThat(body(r)).isEqualTo("{\"error\":{\"code\":\"403\",\"message\":\"Access denied due to Virtual Network/Firewall rules.\"}}");
        assertThat(run(p, "unknown")).isInstanceOf(StageResult.Reject.class);
    }

    @Test
    void allowIgnoresTheRules() throws Exception {
        NetworkPolicy p = policy("{\"defaultAction\":\"Allow\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}", PublicNetworkAccess.Enabled);
        assertThat(run(p, "198.51.100.1")).isInstanceOf(StageResult.Next.class);
    }

    @Test
    void publicNetworkAccessDisabledRefusesEveryoneOnThePublicListener() throws Exception {
        NetworkPolicy p = policy("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}", PublicNetworkAccess.Disabled);
        StageResult r = run(p, "203.0.113.7");
        assertThat(((StageResult.Reject) r).rejection().status()).isEqualTo(403);
        assertThat(body(r)).isEqualTo("{\"error\":{\"code\":\"403\",\"message\":\"Traffic is not from an approved private endpoint.\"}}");
        NetworkPolicy open = policy("{\"defaultAction\":\"Allow\"}", PublicNetworkAccess.Disabled);
        assertThat(run(open, "203.0.113.7")).isInstanceOf(StageResult.Reject.class);
    }

    /** A head whose address must not be read. */
    private static final class ThrowingHead implements RequestHead {
        public String method() { return "POST"; }
        public String path() { return "/x"; }
        public String host() { return "localhost"; }
        public String header(CharSequence name) { return null; }
        public int headerCount(CharSequence name) { return 0; }
        public String peerAddress() { throw new AssertionError("read the peer address"); }
        public byte[] peerAddressBytes() { throw new AssertionError("read the peer address"); }
        public String query(String name) { return null; }
        public String listenerName() { return "data"; }
        public boolean listenerPrivate() { return false; }
    }

    @Test
    void theRulesReadTheDecidedClientAddressNotTheSocketPeer() throws Exception {
        NetworkPolicy p = policy("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.9\"}]}", PublicNetworkAccess.Enabled);
        AccountView account = AccountView.of("alice", AccountKind.TextAnalytics, false).withNetwork(p);
        Snapshot snapshot = new Snapshot(1, Map.of("alice", account), Map.of());
        RequestContext viaProxy = RequestContext.start("rid", FakeHead.post("/accounts/alice/x").withPeer("10.0.0.5"), snapshot)
                .withClientAddress("203.0.113.9").withAccount(account, "/x");
        assertThat(stage.apply(viaProxy)).isInstanceOf(StageResult.Next.class);
        RequestContext direct = RequestContext.start("rid", FakeHead.post("/accounts/alice/x").withPeer("203.0.113.9"), snapshot)
                .withClientAddress("10.0.0.5").withAccount(account, "/x");
        assertThat(stage.apply(direct)).isInstanceOf(StageResult.Reject.class);
    }
}
