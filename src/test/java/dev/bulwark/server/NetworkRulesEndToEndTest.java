package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-account network rules over real sockets: clients bound to different loopback source
 * addresses (127.0.0.2, 127.0.0.3, ...) call the data listener on 127.0.0.1.
 */
class NetworkRulesEndToEndTest {
    private static final String FIREWALL_403 = "{\"error\":{\"code\":\"403\",\"message\":\"Access denied due to Virtual Network/Firewall rules.\"}}";
    private static final String PRIVATE_403 = "{\"error\":{\"code\":\"403\",\"message\":\"Traffic is not from an approved private endpoint.\"}}";
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";

    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    /** One HTTP/1.1 Language call from {@code source}, the key in Ocp-Apim-Subscription-Key. */
    private static RawTlsCall.Answer call(String source, String account, String key, String... headers) throws Exception {
        return RawTlsCall.post(bulwark, source, null, "/accounts/" + account + "/language/:analyze-text?api-version=2023-04-01",
                "application/json", key, GOOD_BODY, headers);
    }

    private static TestBulwark.Response acls(String account, String defaultAction, String... rules) {
        StringJoiner ips = new StringJoiner(",", "[", "]");
        for (String r : rules) {
            ips.add("{\"value\":\"" + r + "\"}");
        }
        return bulwark.management("PATCH", "/accounts/" + account,
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"" + defaultAction + "\",\"ipRules\":" + ips + "}}}");
    }

    @Test
    void denyByDefaultLetsOnlyTheListedAddressInAndRefusesOthersBeforeTheKeyCheck() throws Exception {
        String key = bulwark.createAccount("nr-deny", "TextAnalytics")[0];
        assertThat(call("127.0.0.3", "nr-deny", key).status()).isEqualTo(200);
        TestBulwark.Response patched = acls("nr-deny", "Deny", "127.0.0.2");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().at("/properties/networkAcls/defaultAction").asText()).isEqualTo("Deny");
        assertThat(patched.json().at("/properties/networkAcls/ipRules/0/value").asText()).isEqualTo("127.0.0.2");
        assertThat(patched.json().at("/properties/publicNetworkAccess").asText()).isEqualTo("Enabled");

        // The change applies to the next request.
        assertThat(call("127.0.0.2", "nr-deny", key).status()).isEqualTo(200);
        RawTlsCall.Answer refused = call("127.0.0.3", "nr-deny", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(FIREWALL_403);
        // No key check happens for a refused address: a wrong key gets 403, not 401.
        RawTlsCall.Answer wrongKey = call("127.0.0.3", "nr-deny", "0".repeat(32));
        assertThat(wrongKey.status()).isEqualTo(403);
        assertThat(wrongKey.body()).isEqualTo(FIREWALL_403);
        // ...while an allowed address with a wrong key gets the usual 401.
        assertThat(call("127.0.0.2", "nr-deny", "0".repeat(32)).status()).isEqualTo(401);
        // Forwarding headers are not believed.
        assertThat(call("127.0.0.3", "nr-deny", key, "X-Forwarded-For", "127.0.0.2", "Forwarded", "for=127.0.0.2",
                "X-Real-IP", "127.0.0.2").status()).isEqualTo(403);

        // The rules are stored: GET shows them.
        JsonNode got = bulwark.management("GET", "/accounts/nr-deny", null).json();
        assertThat(got.at("/properties/networkAcls/ipRules").size()).isEqualTo(1);

        // The refusal is audited under its own operation name.
        JsonNode audit = bulwark.management("GET", "/audit?account=nr-deny&operation=DataPlane/NetworkRules&top=100", null).json();
        assertThat(audit.get("value").size()).isGreaterThanOrEqualTo(3);
        assertThat(audit.toString()).contains("127.0.0.3").contains("\"403\"").doesNotContain("127.0.0.2\"");
    }

    @Test
    void cidrEdges() throws Exception {
        String key = bulwark.createAccount("nr-cidr", "TextAnalytics")[0];
        assertThat(acls("nr-cidr", "Deny", "127.0.0.0/30").status()).isEqualTo(200);
        assertThat(call("127.0.0.3", "nr-cidr", key).status()).isEqualTo(200);
        assertThat(call("127.0.0.4", "nr-cidr", key).status()).isEqualTo(403);
    }

    @Test
    void allowByDefaultIgnoresTheRules() throws Exception {
        String key = bulwark.createAccount("nr-allow", "TextAnalytics")[0];
        assertThat(acls("nr-allow", "Allow", "127.0.0.2").status()).isEqualTo(200);
        assertThat(call("127.0.0.3", "nr-allow", key).status()).isEqualTo(200);
        // Flipping to Deny applies at once, and back again.
        assertThat(acls("nr-allow", "Deny", "127.0.0.2").status()).isEqualTo(200);
        assertThat(call("127.0.0.3", "nr-allow", key).status()).isEqualTo(403);
        assertThat(acls("nr-allow", "Allow").status()).isEqualTo(200);
        assertThat(call("127.0.0.3", "nr-allow", key).status()).isEqualTo(200);
    }

    @Test
    void publicNetworkAccessDisabledRefusesTheDataListener() throws Exception {
        String key = bulwark.createAccount("nr-private", "TextAnalytics")[0];
        var r = bulwark.management("PATCH", "/accounts/nr-private", "{\"properties\":{\"publicNetworkAccess\":\"Disabled\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/properties/publicNetworkAccess").asText()).isEqualTo("Disabled");
        RawTlsCall.Answer refused = call("127.0.0.2", "nr-private", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(PRIVATE_403);
        assertThat(bulwark.management("PATCH", "/accounts/nr-private", "{\"properties\":{\"publicNetworkAccess\":\"Enabled\"}}").status())
                .isEqualTo(200);
        assertThat(call("127.0.0.2", "nr-private", key).status()).isEqualTo(200);
    }

    @Test
    void putAcceptsTheRulesAndInvalidEntriesAreRefusedByName() {
        var put = bulwark.management("PUT", "/accounts/nr-put", "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"properties\":"
                + "{\"publicNetworkAccess\":\"Enabled\",\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"}]}}}");
        assertThat(put.status()).as(put.body()).isIn(200, 201);
        assertThat(put.json().at("/properties/networkAcls/ipRules/0/value").asText()).isEqualTo("203.0.113.0/24");

        var bad = acls("nr-put", "Deny", "127.0.0.2", "300.1.2.3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/code").asText()).isEqualTo("InvalidIpRule");
        assertThat(bad.json().at("/error/message").asText()).contains("ipRules[1]").contains("300.1.2.3");
        var hostBits = acls("nr-put", "Deny", "10.0.0.1/8");
        assertThat(hostBits.status()).isEqualTo(400);
        assertThat(hostBits.json().at("/error/message").asText()).contains("10.0.0.1/8");
        var badPna = bulwark.management("PATCH", "/accounts/nr-put", "{\"properties\":{\"publicNetworkAccess\":\"disabled\"}}");
        assertThat(badPna.status()).isEqualTo(400);
        assertThat(badPna.json().at("/error/message").asText()).contains("disabled");
        var vnet = bulwark.management("PATCH", "/accounts/nr-put",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"office\"}]}}}");
        assertThat(vnet.status()).isEqualTo(400);
        assertThat(vnet.json().at("/error/message").asText()).contains("office");

        String[] hundred = new String[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = "10.0." + i + ".0/24";
        }
        assertThat(acls("nr-put", "Deny", hundred).status()).isEqualTo(200);
        String[] hundredAndOne = java.util.Arrays.copyOf(hundred, 101);
        hundredAndOne[100] = "10.1.0.0/24";
        var tooMany = acls("nr-put", "Deny", hundredAndOne);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/code").asText()).isEqualTo("TooManyNetworkRules");
        // The refused writes changed nothing.
        assertThat(bulwark.management("GET", "/accounts/nr-put", null).json().at("/properties/networkAcls/ipRules").size()).isEqualTo(100);
    }

    @Test
    void anAccountWithoutRulesShowsTheOpenDefaults() {
        bulwark.createAccount("nr-none", "TextAnalytics");
        JsonNode got = bulwark.management("GET", "/accounts/nr-none", null).json();
        assertThat(got.at("/properties/networkAcls/defaultAction").asText()).isEqualTo("Allow");
        assertThat(got.at("/properties/publicNetworkAccess").asText()).isEqualTo("Enabled");
    }
}
