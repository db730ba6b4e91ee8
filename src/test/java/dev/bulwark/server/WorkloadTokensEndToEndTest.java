package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The wiring: identities over the management plane, both token endpoints on the data plane, before the account pipeline. */
class WorkloadTokensEndToEndTest {
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
    void anIdentityCreatedOnTheManagementPlaneGetsTokensFromBothDataPlaneEndpoints() {
        var created = bulwark.management("PUT", "/identities/e2e-app", "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().at("/properties/clientId").asText();
        String secret = created.json().at("/properties/clientSecret").asText();

        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var cc = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode("https://cognitiveservices.azure.com/.default", StandardCharsets.UTF_8))).build());
        assertThat(cc.status()).as(cc.body()).isEqualTo(200);
        assertThat(cc.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(cc.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(cc.headers().firstValue("Strict-Transport-Security")).isPresent();

        // The minted token authenticates on the data plane: with no role assignment it is 403 (authorisation), not 401.
        bulwark.createAccount("wl-acct", "TextAnalytics");
        var call = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint("wl-acct") + "language/:analyze-text?api-version=2023-04-01"))
                .header("Authorization", "Bearer " + cc.json().get("access_token").asText())
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"Hallo Welt\"}]}}")).build());
        assertThat(call.status()).as(call.body()).isEqualTo(403);

        // A token for the management audience authenticates on the management plane (403 without a role, not 401).
        var mgmtToken = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&resource="
                        + URLEncoder.encode("https://management.azure.com", StandardCharsets.UTF_8))).build());
        assertThat(mgmtToken.status()).as(mgmtToken.body()).isEqualTo(200);
        var asWorkload = bulwark.management("GET", "/identities", null, mgmtToken.json().get("access_token").asText());
        assertThat(asWorkload.status()).as(asWorkload.body()).isEqualTo(403);

        var mi = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/msi/token?api-version=2019-08-01&resource="
                        + URLEncoder.encode("https://cognitiveservices.azure.com", StandardCharsets.UTF_8)))
                .header("X-IDENTITY-HEADER", secret).GET().build());
        assertThat(mi.status()).as(mi.body()).isEqualTo(200);
        JsonNode body = mi.json();
        assertThat(body.get("client_id").asText()).isEqualTo(clientId);
        assertThat(body.get("expires_on").isTextual()).isTrue();

        var refused = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/msi/token?api-version=2019-08-01&resource=x"))
                .header("X-IDENTITY-HEADER", "wrong").GET().build());
        assertThat(refused.status()).isEqualTo(401);
        var twoAuth = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Authorization", "Basic " + basic).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertThat(twoAuth.status()).isEqualTo(400);

        bulwark.bulwark().audit().flush();
        var records = bulwark.management("GET", "/audit?operation=Bulwark/identities/token/action", null);
        assertThat(records.status()).as(records.body()).isEqualTo(200);
        assertThat(records.body()).contains("workload:e2e-app#" + clientId).contains("anonymous").doesNotContain(secret);
        assertThat(bulwark.management("DELETE", "/identities/e2e-app", null).status()).isEqualTo(200);
    }
}
