package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementApiTest {
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

    @Test
    void putCreatesThenUpdatesAnArmShapedAccount() {
        var created = bulwark.management("PUT", "/accounts/contoso", "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"sku\":{\"name\":\"S0\"},\"tags\":{\"team\":\"ai\"}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode a = created.json();
        assertThat(a.get("id").asText()).isEqualTo("/accounts/contoso");
        assertThat(a.get("type").asText()).isEqualTo("Microsoft.CognitiveServices/accounts");
        assertThat(a.get("kind").asText()).isEqualTo("TextAnalytics");
        assertThat(a.at("/sku/name").asText()).isEqualTo("S0");
        assertThat(a.at("/tags/team").asText()).isEqualTo("ai");
        assertThat(a.at("/properties/endpoint").asText()).isEqualTo(bulwark.endpoint("contoso"));
        assertThat(a.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(a.toString()).doesNotContain("bwk_");

        var updated = bulwark.management("PUT", "/accounts/contoso", "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"sku\":{\"name\":\"F0\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().at("/sku/name").asText()).isEqualTo("F0");
        assertThat(updated.json().get("tags").size()).isZero();
    }

    @Test
    void patchMergesOnlyWhatItNames() {
        bulwark.createAccount("patchy", "AIServices");
        var p = bulwark.management("PATCH", "/accounts/patchy", "{\"properties\":{\"disableLocalAuth\":true}}");
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.json().at("/properties/disableLocalAuth").asBoolean()).isTrue();
        assertThat(p.json().get("kind").asText()).isEqualTo("AIServices");
        assertThat(bulwark.management("PATCH", "/accounts/patchy", "{\"kind\":\"OpenAI\"}").status()).isEqualTo(400);
    }

    @Test
    void changingKindOrLocationIsAConflict() {
        bulwark.createAccount("fixed", "TextAnalytics");
        var r = bulwark.management("PUT", "/accounts/fixed", "{\"location\":\"westeurope\",\"kind\":\"OpenAI\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("Conflict");
    }

    @Test
    void invalidNamesAndBodiesGetArmErrors() {
        for (String bad : new String[] {"UPPER", "-dash", "dash-", "a", "x".repeat(64), "under_score", "dot.ted"}) {
            var r = bulwark.management("PUT", "/accounts/" + bad, "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\"}");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidAccountName");
        }
        assertThat(bulwark.management("PUT", "/accounts/okname", "{\"location\":\"westeurope\",\"kind\":\"Speech\"}").json().at("/error/code").asText())
                .isEqualTo("InvalidKind");
        assertThat(bulwark.management("PUT", "/accounts/okname", "{\"kind\":\"TextAnalytics\"}").json().at("/error/code").asText())
                .isEqualTo("MissingLocation");
        assertThat(bulwark.management("PUT", "/accounts/okname", "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\"").status()).isEqualTo(400);
        assertThat(bulwark.management("PUT", "/accounts/okname", "{\"location\":\"a\",\"location\":\"b\",\"kind\":\"TextAnalytics\"}").status()).isEqualTo(400);
        var unsupported = bulwark.management("PUT", "/accounts/okname",
                "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"properties\":{\"userOwnedStorage\":[]}}");
        assertThat(unsupported.status()).isEqualTo(400);
        assertThat(unsupported.json().at("/error/code").asText()).isEqualTo("FeatureNotSupported");
        var noKey = bulwark.management("PUT", "/accounts/okname",
                "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"properties\":{\"encryption\":{\"keySource\":\"Microsoft.KeyVault\"}}}");
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().at("/error/code").asText()).isEqualTo("InvalidEncryption");
        // A lone surrogate cannot be stored as UTF-8: refused, not turned into '?'.
        var surrogate = bulwark.management("PUT", "/accounts/okname",
                "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\",\"tags\":{\"team\":\"a\\ud800b\"}}");
        assertThat(surrogate.status()).isEqualTo(400);
        assertThat(surrogate.json().at("/error/code").asText()).isEqualTo("InvalidRequestContent");
        assertThat(bulwark.management("GET", "/accounts/okname", null).status()).isEqualTo(404);
    }

    @Test
    void listGetDeleteAndKeys() {
        String[] keys = bulwark.createAccount("lifecycle", "TextAnalytics");
        assertThat(keys[0]).isNotEqualTo(keys[1]);
        assertThat(bulwark.management("GET", "/accounts", null).json().get("value").findValuesAsText("name")).contains("lifecycle");
        var regen = bulwark.management("POST", "/accounts/lifecycle/regenerateKey", "{\"keyName\":\"Key2\"}");
        assertThat(regen.json().get("key1").asText()).isEqualTo(keys[0]);
        assertThat(regen.json().get("key2").asText()).isNotEqualTo(keys[1]);
        assertThat(bulwark.management("POST", "/accounts/lifecycle/regenerateKey", "{\"keyName\":\"Key3\"}").status()).isEqualTo(400);
        assertThat(bulwark.management("DELETE", "/accounts/lifecycle", null).status()).isEqualTo(200);
        assertThat(bulwark.management("DELETE", "/accounts/lifecycle", null).status()).isEqualTo(204);
        assertThat(bulwark.management("GET", "/accounts/lifecycle", null).status()).isEqualTo(404);
        assertThat(bulwark.management("POST", "/accounts/lifecycle/listKeys", null).status()).isEqualTo(404);
    }

    @Test
    void everyCallNeedsTheAdminTokenAndRefusalsAreAudited() {
        var none = bulwark.management("GET", "/accounts", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
        assertThat(bulwark.management("GET", "/accounts", null, "wrong-token").status()).isEqualTo(401);
        assertThat(bulwark.management("POST", "/accounts/x/listKeys", null, TestBulwark.ADMIN_TOKEN + "x").status()).isEqualTo(401);
        JsonNode audit = bulwark.management("GET", "/audit?operation=Microsoft.CognitiveServices/accounts/listKeys/action", null).json();
        assertThat(audit.get("value").findValuesAsText("resultSignature")).contains("401");
    }

    @Test
    void managementCallsAreAuditedWithoutSecrets() {
        String[] keys = bulwark.createAccount("audited", "TextAnalytics");
        bulwark.management("POST", "/accounts/audited/regenerateKey", "{\"keyName\":\"Key1\"}");
        var r = bulwark.management("GET", "/audit?account=audited", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode records = r.json().get("value");
        assertThat(records.findValuesAsText("operationName")).contains(
                "Microsoft.CognitiveServices/accounts/write",
                "Microsoft.CognitiveServices/accounts/listKeys/action",
                "Microsoft.CognitiveServices/accounts/regenerateKey/action");
        JsonNode newest = records.get(0);
        assertThat(newest.get("operationName").asText()).isEqualTo("Microsoft.CognitiveServices/accounts/regenerateKey/action");
        assertThat(newest.get("identity").asText()).isEqualTo("admin:bootstrap-token");
        assertThat(newest.get("callerIpAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(newest.get("resourceId").asText()).isEqualTo("/accounts/audited");
        assertThat(r.body()).doesNotContain(keys[0]).doesNotContain(keys[1]).doesNotContain("bwk_").doesNotContain(TestBulwark.ADMIN_TOKEN);
    }

    @Test
    void metricsCountRequestsByPlaneStatusAndRefusingStageForTheAdminOnly() {
        bulwark.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(bulwark.endpoint("nobody-here") + "language/:analyze-text"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        var m = bulwark.management("GET", "/metrics", null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(m.body()).contains("bulwark_requests_total{plane=\"data\",status=\"401\"}")
                .contains("bulwark_pipeline_rejections_total{stage=\"account-resolution\"}")
                .contains("bulwark_request_duration_microseconds_count");
        assertThat(bulwark.management("GET", "/metrics", null, null).status()).isEqualTo(401);
    }
}
