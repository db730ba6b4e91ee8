package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.snapshot.DeploymentView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Deployments over the real management plane: ARM paths and shapes, the snapshot the proxy reads, audit and RBAC. */
class DeploymentsApiEndToEndTest {
    private static final String SECRET = "upstream-secret-value-5f3a9c";

    @TempDir
    static Path home;
    @TempDir
    static Path secrets;
    static TestBulwark bulwark;
    static Path secretFile;

    @BeforeAll
    static void start() throws Exception {
        bulwark = new TestBulwark(home);
        secretFile = Files.writeString(secrets.resolve("vllm-key"), SECRET + "\n");
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static String body(String credential) {
        return ("{'sku':{'name':'Standard','capacity':10},'properties':{'model':{'format':'OpenAI','name':'llama3'},"
                + "'upstream':{'baseUrl':'http://10.0.0.5:8000/v1/'" + (credential == null ? "" : ",'credential':'" + credential + "'")
                + ",'connectTimeoutSeconds':5,'timeoutSeconds':120}}}").replace('\'', '"');
    }

    private static TestBulwark.Response put(String account, String name, String body) {
        return bulwark.management("PUT", "/accounts/" + account + "/deployments/" + name, body);
    }

    private static DeploymentView view(String account, String name) {
        return bulwark.bulwark().snapshots().current().deployment(account, name);
    }

    @Test
    void createReplaceGetListDeleteAtArmsPaths() {
        bulwark.createAccount("dep-crud", "OpenAI");
        var created = put("dep-crud", "gpt-4o", body(null));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode d = created.json();
        assertThat(d.get("id").asText()).isEqualTo("/accounts/dep-crud/deployments/gpt-4o");
        assertThat(d.get("name").asText()).isEqualTo("gpt-4o");
        assertThat(d.get("type").asText()).isEqualTo("Microsoft.CognitiveServices/accounts/deployments");
        assertThat(d.at("/sku/name").asText()).isEqualTo("Standard");
        assertThat(d.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(d.at("/properties/upstream/baseUrl").asText()).isEqualTo("http://10.0.0.5:8000/v1");
        assertThat(d.at("/properties/upstream/timeoutSeconds").asInt()).isEqualTo(120);
        assertThat(d.at("/properties/credentialStatus").asText()).isEqualTo("ok");
        // Azure's rule for a capacity without explicit limits: 6 requests and 1,000 tokens per minute per unit.
        assertThat(d.at("/properties/rateLimits/0/count").asInt()).isEqualTo(60);
        assertThat(d.at("/properties/rateLimits/1/count").asInt()).isEqualTo(10_000);
        assertThat(view("dep-crud", "gpt-4o").tokensPerMinute()).isEqualTo(10_000);
        assertThat(view("dep-crud", "gpt-4o").timeoutMs()).isEqualTo(120_000);

        String replacement = body(null).replace("llama3", "llama3.1");
        var replaced = put("dep-crud", "gpt-4o", replacement);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(view("dep-crud", "gpt-4o").model()).isEqualTo("llama3.1");
        // What a GET answers can be PUT back unchanged.
        var got = bulwark.management("GET", "/accounts/dep-crud/deployments/gpt-4o", null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(put("dep-crud", "gpt-4o", got.body()).status()).isEqualTo(200);

        put("dep-crud", "embed", body(null));
        var list = bulwark.management("GET", "/accounts/dep-crud/deployments", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("value")).extracting(v -> v.get("name").asText()).containsExactly("embed", "gpt-4o");

        assertThat(bulwark.management("DELETE", "/accounts/dep-crud/deployments/gpt-4o", null).status()).isEqualTo(200);
        assertThat(bulwark.management("DELETE", "/accounts/dep-crud/deployments/gpt-4o", null).status()).isEqualTo(204);
        var gone = bulwark.management("GET", "/accounts/dep-crud/deployments/gpt-4o", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/error/code").asText()).isEqualTo("ResourceNotFound");
        assertThat(view("dep-crud", "gpt-4o")).isNull();
        assertThat(bulwark.management("PATCH", "/accounts/dep-crud/deployments/embed", body(null)).status()).isEqualTo(405);
    }

    @Test
    void inlineRemoteImagesDefaultsToFalseAndIsStoredShownAndStrict() {
        bulwark.createAccount("dep-inline", "OpenAI");
        var plain = put("dep-inline", "plain", body(null));
        assertThat(plain.json().at("/properties/inlineRemoteImages").isBoolean()).isTrue();
        assertThat(plain.json().at("/properties/inlineRemoteImages").booleanValue()).isFalse();
        assertThat(view("dep-inline", "plain").inlineRemoteImages()).isFalse();

        String on = body(null).replace("\"properties\":{", "\"properties\":{\"inlineRemoteImages\":true,");
        var inline = put("dep-inline", "inline", on);
        assertThat(inline.status()).as(inline.body()).isEqualTo(201);
        assertThat(inline.json().at("/properties/inlineRemoteImages").booleanValue()).isTrue();
        assertThat(view("dep-inline", "inline").inlineRemoteImages()).isTrue();
        var got = bulwark.management("GET", "/accounts/dep-inline/deployments/inline", null);
        assertThat(got.json().at("/properties/inlineRemoteImages").booleanValue()).isTrue();
        // A GET's answer PUT back keeps the option.
        assertThat(put("dep-inline", "inline", got.body()).status()).isEqualTo(200);
        assertThat(view("dep-inline", "inline").inlineRemoteImages()).isTrue();

        var text = put("dep-inline", "bad", on.replace("\"inlineRemoteImages\":true", "\"inlineRemoteImages\":\"true\""));
        assertThat(text.status()).isEqualTo(400);
        assertThat(text.json().at("/error/message").asText()).contains("properties.inlineRemoteImages");
        assertThat(view("dep-inline", "bad")).isNull();
    }

    @Test
    void writesAreAuditedUnderAzuresOperationNamesWithTheReferenceOnly() {
        bulwark.createAccount("dep-audit", "OpenAI");
        put("dep-audit", "gpt", body("file:" + secretFile));
        bulwark.management("DELETE", "/accounts/dep-audit/deployments/gpt", null);
        var audit = bulwark.management("GET", "/audit?account=dep-audit", null);
        assertThat(audit.body()).contains("Microsoft.CognitiveServices/accounts/deployments/write")
                .contains("Microsoft.CognitiveServices/accounts/deployments/delete")
                .contains("/accounts/dep-audit/deployments/gpt")
                .contains("file:" + secretFile)
                .doesNotContain(SECRET);
    }

    @Test
    void anUnknownAccountIsA404InArmsShape() {
        for (String[] call : new String[][] {{"PUT", "/accounts/nobody/deployments/gpt"}, {"GET", "/accounts/nobody/deployments/gpt"},
                {"GET", "/accounts/nobody/deployments"}, {"DELETE", "/accounts/nobody/deployments/gpt"}}) {
            var r = bulwark.management(call[0], call[1], call[0].equals("PUT") ? body(null) : null);
            assertThat(r.status()).as(call[0] + " " + call[1]).isEqualTo(404);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("ResourceNotFound");
            assertThat(r.json().at("/error/message").asText()).contains("nobody");
        }
    }

    @Test
    void invalidRequestsAre400WithArmErrorsAndNothingStored() {
        bulwark.createAccount("dep-bad", "OpenAI");
        String literal = "sk-live-LITERAL-SECRET-0123456789";
        var secret = put("dep-bad", "gpt", body(literal));
        assertThat(secret.status()).isEqualTo(400);
        assertThat(secret.json().at("/error/code").asText()).isEqualTo("InvalidCredentialReference");
        assertThat(secret.body()).doesNotContain("LITERAL-SECRET");

        for (String url : new String[] {"http://admin:pw-LITERAL@h/v1", "http://h/v1?key=LITERAL", "ftp://h/v1", "http://h/v1#x"}) {
            var r = put("dep-bad", "gpt", body(null).replace("http://10.0.0.5:8000/v1/", url));
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidUpstreamUrl");
            assertThat(r.body()).doesNotContain("LITERAL");
        }
        assertThat(put("dep-bad", "-gpt", body(null)).json().at("/error/code").asText()).isEqualTo("InvalidDeploymentName");
        assertThat(put("dep-bad", "gpt", body(null).replace("120", "601")).json().at("/error/code").asText()).isEqualTo("InvalidTimeout");
        assertThat(put("dep-bad", "gpt", body(null).replace("\"upstream\"", "\"upstreams\"")).status()).isEqualTo(400);
        assertThat(put("dep-bad", "gpt", "{\"properties\":{},\"properties\":{}}").status()).isEqualTo(400);
        assertThat(put("dep-bad", "gpt", "").status()).isEqualTo(400);
        assertThat(bulwark.management("GET", "/accounts/dep-bad/deployments", null).json().get("value")).isEmpty();
    }

    @Test
    void theSnapshotCarriesTheResolvedCredentialButNoAnswerEverShowsIt() {
        bulwark.createAccount("dep-secret", "OpenAI");
        var created = put("dep-secret", "gpt", body("file:" + secretFile));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/properties/upstream/credential").asText()).isEqualTo("file:" + secretFile);
        assertThat(created.json().at("/properties/credentialStatus").asText()).isEqualTo("ok");
        assertThat(view("dep-secret", "gpt").credential().reveal()).isEqualTo(SECRET);

        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(bulwark.management("GET", "/accounts/dep-secret/deployments/gpt", null).body()).doesNotContain(SECRET);
        assertThat(bulwark.management("GET", "/accounts/dep-secret/deployments", null).body()).doesNotContain(SECRET);
        assertThat(bulwark.management("GET", "/audit", null).body()).doesNotContain(SECRET);
    }

    @Test
    void aReferenceThatDoesNotResolveIsShownAndTheSnapshotStillLoads() {
        bulwark.createAccount("dep-unset", "OpenAI");
        put("dep-unset", "good", body("file:" + secretFile));
        var broken = put("dep-unset", "broken", body("env:DEPLOYMENT_TEST_SURELY_UNSET_VARIABLE"));
        assertThat(broken.status()).isEqualTo(201);
        assertThat(broken.json().at("/properties/credentialStatus").asText())
                .isEqualTo("environment variable DEPLOYMENT_TEST_SURELY_UNSET_VARIABLE is not set or empty");
        DeploymentView v = view("dep-unset", "broken");
        assertThat(v.credential()).isNull();
        assertThat(v.credentialProblem()).contains("DEPLOYMENT_TEST_SURELY_UNSET_VARIABLE");
        assertThat(view("dep-unset", "good").credential().reveal()).isEqualTo(SECRET);
        assertThat(bulwark.bulwark().snapshots().current().account("dep-unset")).isNotNull();

        var stateFile = put("dep-unset", "admin", body("file:" + home.resolve("admin-token")));
        assertThat(stateFile.json().at("/properties/credentialStatus").asText()).contains("cannot be an upstream credential");
        assertThat(view("dep-unset", "admin").credential()).isNull();
    }

    @Test
    void deletingTheAccountRemovesItsDeployments() {
        bulwark.createAccount("dep-gone", "OpenAI");
        put("dep-gone", "gpt", body(null));
        assertThat(view("dep-gone", "gpt")).isNotNull();
        assertThat(bulwark.management("DELETE", "/accounts/dep-gone", null).status()).isEqualTo(200);
        assertThat(view("dep-gone", "gpt")).isNull();
        bulwark.createAccount("dep-gone", "OpenAI");
        assertThat(bulwark.management("GET", "/accounts/dep-gone/deployments", null).json().get("value")).isEmpty();
    }

    @Test
    void aReaderCanReadDeploymentsButNotWriteThemAndAnOpenAiContributorCan() {
        bulwark.createAccount("dep-rbac", "OpenAI");
        put("dep-rbac", "gpt", body(null));
        String reader = workloadToken("dep-reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"); // Reader
        assertThat(bulwark.management("GET", "/accounts/dep-rbac/deployments/gpt", null, reader).status()).isEqualTo(200);
        assertThat(bulwark.management("GET", "/accounts/dep-rbac/deployments", null, reader).status()).isEqualTo(200);
        var refused = bulwark.management("PUT", "/accounts/dep-rbac/deployments/gpt", body(null).replace("llama3", "evil"), reader);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
        assertThat(refused.json().at("/error/message").asText()).contains("Microsoft.CognitiveServices/accounts/deployments/write")
                .contains("/accounts/dep-rbac/deployments/gpt");
        assertThat(bulwark.management("DELETE", "/accounts/dep-rbac/deployments/gpt", null, reader).status()).isEqualTo(403);
        assertThat(view("dep-rbac", "gpt").model()).isEqualTo("llama3");

        String contributor = workloadToken("dep-openai-contrib", "a001fd3d-188f-4b5d-821b-7da978bf7442"); // Cognitive Services OpenAI Contributor
        assertThat(put("dep-rbac", "gpt", body(null).replace("llama3", "llama3.1")).status()).isEqualTo(200);
        var byContributor = bulwark.management("PUT", "/accounts/dep-rbac/deployments/other", body(null), contributor);
        assertThat(byContributor.status()).as(byContributor.body()).isEqualTo(201);
        // ...but only on the account it was given.
        bulwark.createAccount("dep-rbac-other", "OpenAI");
        assertThat(bulwark.management("PUT", "/accounts/dep-rbac-other/deployments/x", body(null), contributor).status()).isEqualTo(403);
    }

    /** A workload identity holding {@code roleId} at /accounts/dep-rbac, and its management token. */
    private static String workloadToken(String identity, String roleId) {
        var created = bulwark.management("PUT", "/identities/" + identity, "");
        String clientId = created.json().at("/properties/clientId").asText();
        String secret = created.json().at("/properties/clientSecret").asText();
        var assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(), ("{'properties':{'roleDefinitionId':"
                + "'/providers/Microsoft.Authorization/roleDefinitions/" + roleId + "','principalId':'" + clientId
                + "','principalType':'ServicePrincipal','scope':'/accounts/dep-rbac'}}").replace('\'', '"'));
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(201);
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        var token = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&resource="
                        + URLEncoder.encode("https://management.azure.com", StandardCharsets.UTF_8))).build());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json().get("access_token").asText();
    }
}
