package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.identity.rbac.BuiltInRoles;
import dev.bulwark.usage.UsageRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage through a real Bulwark: recorded as the proxy will, read back over the management API at once, guarded by RBAC. */
class UsageEndToEndTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() {
        // A flush interval far longer than the test: whatever the API shows, it flushed itself.
        bulwark = new TestBulwark(home, Map.of("BULWARK_USAGE_FLUSH_SECONDS", "3600"));
        UsageRecorder usage = bulwark.bulwark().usage();
        usage.record("alpha", "gpt", "kid-1", "key:alpha/Key1", 100, 20);
        usage.record("alpha", "gpt", "kid-1", "key:alpha/Key1", 50, 10);
        usage.record("alpha", "gpt", null, "oidc:https://idp#u1", 1, 0);
        usage.record("alpha", "emb", "kid-2", "key:alpha/Key2", 300, 0);
        usage.record("beta", "gpt", null, "workload:w#1", 0, 0);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static List<String> rows(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("value").forEach(n -> out.add(n.toString()));
        return out;
    }

    @Test
    void theApiShowsRecordedUsageAtOnceGroupedAsAsked() {
        var byDeployment = bulwark.management("GET", "/usage", null);
        assertThat(byDeployment.status()).as(byDeployment.body()).isEqualTo(200);
        assertThat(rows(byDeployment.json())).containsExactly(
                "{\"account\":\"alpha\",\"deployment\":\"emb\",\"requests\":1,\"promptTokens\":300,\"completionTokens\":0,\"totalTokens\":300}",
                "{\"account\":\"alpha\",\"deployment\":\"gpt\",\"requests\":3,\"promptTokens\":151,\"completionTokens\":30,\"totalTokens\":181}",
                "{\"account\":\"beta\",\"deployment\":\"gpt\",\"requests\":1,\"promptTokens\":0,\"completionTokens\":0,\"totalTokens\":0}");

        var byKey = bulwark.management("GET", "/usage?account=alpha&deployment=gpt&groupBy=deployment,key", null);
        assertThat(rows(byKey.json())).containsExactly(
                "{\"deployment\":\"gpt\",\"keyId\":null,\"requests\":1,\"promptTokens\":1,\"completionTokens\":0,\"totalTokens\":1}",
                "{\"deployment\":\"gpt\",\"keyId\":\"kid-1\",\"requests\":2,\"promptTokens\":150,\"completionTokens\":30,\"totalTokens\":180}");

        var byHour = bulwark.management("GET", "/usage?groupBy=hour,principal&account=beta", null);
        JsonNode row = byHour.json().get("value").get(0);
        assertThat(row.get("principal").asText()).isEqualTo("workload:w#1");
        assertThat(row.get("hour").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00Z");
        assertThat(row.has("account")).isFalse();

        String future = URLEncoder.encode("2999-01-01T00:00:00Z", StandardCharsets.UTF_8);
        assertThat(bulwark.management("GET", "/usage?from=" + future, null).json().get("value")).isEmpty();
    }

    @Test
    void badParametersAre400InArmShape() {
        Map<String, String> cases = Map.of(
                "/usage?groupBy=deployment,team", "unknown dimension 'team'",
                "/usage?from=yesterday", "from must be an ISO-8601 instant",
                "/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from must be before to",
                "/usage?acount=alpha", "unknown query parameter 'acount'",
                "/usage?account=Not_A_Name", "account must be an account name");
        cases.forEach((path, message) -> {
            var r = bulwark.management("GET", path, null);
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidQueryParameter");
            assertThat(r.json().at("/error/message").asText()).as(path).contains(message);
        });
        assertThat(bulwark.management("POST", "/usage", "{}").status()).isEqualTo(405);
        assertThat(bulwark.management("GET", "/usage/x", null).status()).isEqualTo(404);
    }

    @Test
    void readingUsageNeedsUsageReadAtTheAccountOrAbove() {
        var created = bulwark.management("PUT", "/identities/usage-reader", "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().at("/properties/clientId").asText();
        String secret = created.json().at("/properties/clientSecret").asText();
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var minted = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&resource="
                        + URLEncoder.encode("https://management.azure.com", StandardCharsets.UTF_8))).build());
        assertThat(minted.status()).as(minted.body()).isEqualTo(200);
        String token = minted.json().get("access_token").asText();

        var refused = bulwark.management("GET", "/usage", null, token);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
        assertThat(refused.json().at("/error/message").asText()).contains("Bulwark/usage/read");

        var assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                "{\"properties\":{\"roleDefinitionId\":\"" + BuiltInRoles.READER.id() + "\",\"principalId\":\"" + clientId
                        + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/accounts/alpha\"}}");
        assertThat(assigned.status()).as(assigned.body()).isIn(200, 201);

        var ownAccount = bulwark.management("GET", "/usage?account=alpha", null, token);
        assertThat(ownAccount.status()).as(ownAccount.body()).isEqualTo(200);
        assertThat(ownAccount.json().get("value").findValuesAsText("account")).containsOnly("alpha");
        assertThat(bulwark.management("GET", "/usage?account=beta", null, token).status()).isEqualTo(403);
        assertThat(bulwark.management("GET", "/usage", null, token).status()).as("all accounts need the root scope").isEqualTo(403);

        var audit = bulwark.management("GET", "/audit?operation=Bulwark/usage/read", null);
        assertThat(audit.json().get("value").findValuesAsText("resultSignature")).contains("200", "403");
    }

    @Test
    void metricsCarryPerDeploymentTotals() {
        var m = bulwark.management("GET", "/metrics", null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body())
                .contains("# TYPE bulwark_requests_total counter\n") // the request metrics are still there
                .contains("# TYPE bulwark_openai_requests_total counter\n")
                .contains("bulwark_openai_requests_total{account=\"alpha\",deployment=\"gpt\"} 3\n")
                .contains("bulwark_openai_tokens_total{account=\"alpha\",deployment=\"gpt\",type=\"prompt\"} 151\n")
                .contains("bulwark_openai_tokens_total{account=\"alpha\",deployment=\"gpt\",type=\"completion\"} 30\n");
    }
}
