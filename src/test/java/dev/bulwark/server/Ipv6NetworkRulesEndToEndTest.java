package dev.bulwark.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Network rules for an IPv6 caller over real sockets: the data listener is bound to {@code [::1]}
 * and a client connects from {@code ::1}. Rules naming that address (bare, /128, a block holding it,
 * everything) let it in; IPv4 rules and neighbouring blocks do not, and IPv4-mapped rules
 * ({@code ::ffff:127.0.0.1}) cannot be stored at all.
 */
class Ipv6NetworkRulesEndToEndTest {
    private static final String FIREWALL_403 = "{\"error\":{\"code\":\"403\",\"message\":\"Access denied due to Virtual Network/Firewall rules.\"}}";
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";

    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() {
        assumeTrue(ipv6Loopback(), "IPv6 loopback (::1) is not available on this machine: the IPv6 network-rule test cannot run");
        bulwark = new TestBulwark(home, Map.of("BULWARK_DATA_LISTEN", "[::1]:0"));
    }

    @AfterAll
    static void stop() {
        if (bulwark != null) {
            bulwark.close();
        }
    }

    /** Whether a socket can listen on ::1 (a kernel or container without IPv6 cannot). */
    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static RawTlsCall.Answer call(String account, String key) throws Exception {
        return RawTlsCall.post(bulwark, "::1", bulwark.bulwark().dataPort(), "::1", null,
                "/accounts/" + account + "/language/:analyze-text?api-version=2023-04-01", "application/json", key, GOOD_BODY);
    }

    private static TestBulwark.Response patchDeny(String account, String... rules) {
        StringJoiner ips = new StringJoiner(",", "[", "]");
        for (String r : rules) {
            ips.add("{\"value\":\"" + r + "\"}");
        }
        return bulwark.management("PATCH", "/accounts/" + account,
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":" + ips + "}}}");
    }

    private static void deny(String account, String... rules) {
        TestBulwark.Response r = patchDeny(account, rules);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void rulesNamingTheIpv6CallerLetItIn() throws Exception {
        String key = bulwark.createAccount("v6-allow", "TextAnalytics")[0];
        for (String rule : new String[] {"::1", "::1/128", "::/127", "::/0", "0:0:0:0:0:0:0:1"}) {
            deny("v6-allow", "127.0.0.1", rule);
            RawTlsCall.Answer a = call("v6-allow", key);
            assertThat(a.status()).as(rule + ": " + a.body()).isEqualTo(200);
        }
    }

    @Test
    void ipv4MappedAndNeighbouringRulesDoNotMatchTheIpv6Caller() throws Exception {
        String key = bulwark.createAccount("v6-deny", "TextAnalytics")[0];
        assertThat(call("v6-deny", key).status()).isEqualTo(200); // open before any rule
        for (String[] rules : new String[][] {{"127.0.0.1"}, {"127.0.0.0/8", "0.0.0.0/0"}, {"::2/127"}, {"::/128"}, {"fe80::1"}}) {
            deny("v6-deny", rules);
            RawTlsCall.Answer refused = call("v6-deny", key);
            assertThat(refused.status()).as(String.join(",", rules)).isEqualTo(403);
            assertThat(refused.body()).isEqualTo(FIREWALL_403);
        }
        // IPv4-mapped rules are refused when written (an IPv4 rule is written as IPv4), so one can
        // never come to match ::1 or anything else; the stored rules stay as they were.
        for (String mapped : new String[] {"::ffff:127.0.0.1", "::ffff:0:0/96"}) {
            TestBulwark.Response r = patchDeny("v6-deny", mapped);
            assertThat(r.status()).as(mapped + " " + r.body()).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidIpRule");
            assertThat(call("v6-deny", key).status()).as(mapped).isEqualTo(403);
        }
        assertThat(bulwark.management("GET", "/accounts/v6-deny", null).json().at("/properties/networkAcls/ipRules/0/value").asText())
                .isEqualTo("fe80::1");
        String audit = bulwark.management("GET", "/audit?account=v6-deny&operation=DataPlane/NetworkRules&top=100", null).body();
        assertThat(audit).contains("\"::1\"");
    }
}
