package dev.bulwark.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The private data listener ({@code BULWARK_PRIVATE_DATA_LISTEN}) and named networks from the
 * config file ({@code network.<name>.cidrs}), over real sockets from chosen loopback addresses.
 */
class PrivateListenerEndToEndTest {
    private static final String FIREWALL_403 = "{\"error\":{\"code\":\"403\",\"message\":\"Access denied due to Virtual Network/Firewall rules.\"}}";
    private static final String PRIVATE_403 = "{\"error\":{\"code\":\"403\",\"message\":\"Traffic is not from an approved private endpoint.\"}}";
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";

    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.createDirectories(home.resolve("conf")).resolve("bulwark.properties");
        Files.writeString(config, "network.corp.cidrs=127.0.0.2/32\nnetwork.lab.listeners=private\n");
        bulwark = new TestBulwark(home.resolve("state"), Map.of(
                "BULWARK_CONFIG", config.toString(),
                "BULWARK_PRIVATE_DATA_LISTEN", "127.0.0.1:0"));
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static RawTlsCall.Answer call(int port, String source, String account, String key) throws Exception {
        return RawTlsCall.post(bulwark, port, source, null, "/accounts/" + account + "/language/:analyze-text?api-version=2023-04-01",
                "application/json", key, GOOD_BODY);
    }

    private static int publicPort() {
        return bulwark.bulwark().dataPort();
    }

    private static int privatePort() {
        return bulwark.bulwark().privateDataPort();
    }

    @Test
    void thePrivateListenerHasItsOwnPort() {
        assertThat(privatePort()).isPositive().isNotEqualTo(publicPort());
    }

    @Test
    void publicNetworkAccessDisabledRefusesThePublicListenerAndAdmitsThePrivateOne() throws Exception {
        String key = bulwark.createAccount("pl-disabled", "TextAnalytics")[0];
        assertThat(call(publicPort(), "127.0.0.3", "pl-disabled", key).status()).isEqualTo(200);
        TestBulwark.Response patched = bulwark.management("PATCH", "/accounts/pl-disabled",
                "{\"properties\":{\"publicNetworkAccess\":\"Disabled\"}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);

        RawTlsCall.Answer refused = call(publicPort(), "127.0.0.3", "pl-disabled", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(PRIVATE_403);
        assertThat(call(privatePort(), "127.0.0.3", "pl-disabled", key).status()).isEqualTo(200);
        // The private listener still checks the key.
        assertThat(call(privatePort(), "127.0.0.3", "pl-disabled", "0".repeat(32)).status()).isEqualTo(401);
    }

    @Test
    void aVirtualNetworkRuleNamingANetworkFromSettingsLetsItsCidrsIn() throws Exception {
        String key = bulwark.createAccount("pl-corp", "TextAnalytics")[0];
        TestBulwark.Response patched = bulwark.management("PATCH", "/accounts/pl-corp",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);

        assertThat(call(publicPort(), "127.0.0.2", "pl-corp", key).status()).isEqualTo(200);
        RawTlsCall.Answer refused = call(publicPort(), "127.0.0.3", "pl-corp", key);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo(FIREWALL_403);
    }

    @Test
    void aNetworkDefinedByListenerAdmitsThatListenerOnly() throws Exception {
        String key = bulwark.createAccount("pl-lab", "TextAnalytics")[0];
        TestBulwark.Response patched = bulwark.management("PATCH", "/accounts/pl-lab",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"lab\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(call(privatePort(), "127.0.0.3", "pl-lab", key).status()).isEqualTo(200);
        assertThat(call(publicPort(), "127.0.0.3", "pl-lab", key).status()).isEqualTo(403);
    }

    @Test
    void aRuleNamingAnUndefinedNetworkIsRefusedUnlessItSaysToIgnoreThat() throws Exception {
        bulwark.createAccount("pl-missing", "TextAnalytics");
        TestBulwark.Response refused = bulwark.management("PATCH", "/accounts/pl-missing",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"nowhere\"}]}}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("nowhere").contains("defined: corp, lab");
        TestBulwark.Response ignored = bulwark.management("PATCH", "/accounts/pl-missing",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":"
                        + "[{\"id\":\"nowhere\",\"ignoreMissingVnetServiceEndpoint\":true}]}}}");
        assertThat(ignored.status()).as(ignored.body()).isEqualTo(200);
    }
}
