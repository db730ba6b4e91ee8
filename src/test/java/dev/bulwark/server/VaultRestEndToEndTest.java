package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.identity.rbac.BuiltInRoles;
import dev.bulwark.identity.token.TokenService;
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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The vault's REST API over TLS on a real Bulwark: the challenge, tokens, roles, Key Vault's shapes and errors. */
class VaultRestEndToEndTest {
    private static final String V = "?api-version=7.5";
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

    /** A workload identity holding {@code role} at {@code scope} (none when null), and its vault token. */
    private static String identityToken(String name, String role, String scope) {
        return identityToken(name, role, scope, TokenService.VAULT_AUDIENCE);
    }

    private static String identityToken(String name, String role, String scope, String audience) {
        TestBulwark.Response created = bulwark.management("PUT", "/identities/" + name, "");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String clientId = created.json().at("/properties/clientId").asText();
        String secret = created.json().at("/properties/clientSecret").asText();
        if (role != null) {
            TestBulwark.Response assigned = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                    "{\"properties\":{\"roleDefinitionId\":\"" + role + "\",\"principalId\":\"" + clientId
                            + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"" + scope + "\"}}");
            assertThat(assigned.status()).as(assigned.body()).isIn(200, 201);
        }
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret + "&scope="
                + URLEncoder.encode(audience + "/.default", StandardCharsets.UTF_8);
        TestBulwark.Response token = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(token.status()).as(token.body()).isEqualTo(200);
        return token.json().get("access_token").asText();
    }

    private static TestBulwark.Response vault(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return bulwark.send(b.build());
    }

    /** As the CLI does: the admin token on the management listener. */
    private static TestBulwark.Response admin(String method, String path, String body) {
        return bulwark.management(method, path, body);
    }

    private static void assertError(TestBulwark.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/code").asText()).as(r.body()).isEqualTo(code);
    }

    @Test
    void aRequestWithoutAValidVaultTokenGetsKeyVaultsChallenge() {
        admin("PUT", "/secrets/challenged" + V, "{\"value\":\"x\"}");
        String expected = "Bearer authorization=\"" + bulwark.bulwark().issuerForTests() + "\", resource=\"https://vault.azure.net\"";
        String cognitive = identityToken("vault-wrong-aud", BuiltInRoles.KEY_VAULT_SECRETS_USER.id(), "/vault",
                TokenService.COGNITIVE_SERVICES_AUDIENCE);
        String[] bad = {null, "not-a-token", "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", cognitive, TestBulwark.ADMIN_TOKEN};
        for (String token : bad) {
            TestBulwark.Response r = vault("GET", "/secrets/challenged" + V, null, token);
            assertThat(r.status()).as(String.valueOf(token)).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).contains(expected);
            assertThat(r.body()).doesNotContain("\"value\"");
        }
    }

    @Test
    void secretsUserReadsButCannotWriteAndOnlyWhereAssigned() {
        admin("PUT", "/secrets/readable" + V, "{\"value\":\"r-value\"}");
        admin("PUT", "/secrets/other" + V, "{\"value\":\"o-value\"}");
        String reader = identityToken("vault-reader", BuiltInRoles.KEY_VAULT_SECRETS_USER.id(), "/vault/secrets/readable");
        TestBulwark.Response got = vault("GET", "/secrets/readable/" + V, null, reader);
        assertThat(got.status()).as(got.body()).isEqualTo(200);
        assertThat(got.json().get("value").asText()).isEqualTo("r-value");

        TestBulwark.Response write = vault("PUT", "/secrets/readable" + V, "{\"value\":\"mine\"}", reader);
        assertError(write, 403, "Forbidden");
        assertThat(write.json().at("/error/innererror/code").asText()).isEqualTo("ForbiddenByRbac");
        assertError(vault("GET", "/secrets/other" + V, null, reader), 403, "Forbidden");
        assertError(vault("GET", "/secrets" + V, null, reader), 403, "Forbidden");

        String nobody = identityToken("vault-nobody", null, null);
        assertError(vault("GET", "/secrets/readable" + V, null, nobody), 403, "Forbidden");

        String officer = identityToken("vault-officer", BuiltInRoles.KEY_VAULT_SECRETS_OFFICER.id(), "/vault");
        assertThat(vault("PUT", "/secrets/officers" + V, "{\"value\":\"o\"}", officer).status()).isEqualTo(200);
        assertError(vault("POST", "/keys/officers-key/create" + V, "{\"kty\":\"RSA\"}", officer), 403, "Forbidden");
    }

    @Test
    void secretBundlesListsPagingAndDeletedItemsHaveKeyVaultsShapes() {
        TestBulwark.Response set = admin("PUT", "/secrets/shaped" + V,
                "{\"value\":\"v1\",\"contentType\":\"text/plain\",\"attributes\":{\"enabled\":true,\"exp\":4102444800},\"tags\":{\"a\":\"b\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        JsonNode b = set.json();
        assertThat(b.get("value").asText()).isEqualTo("v1");
        assertThat(b.get("contentType").asText()).isEqualTo("text/plain");
        assertThat(b.at("/attributes/exp").asLong()).isEqualTo(4102444800L);
        assertThat(b.at("/attributes/recoveryLevel").asText()).isEqualTo("Recoverable+Purgeable");
        assertThat(b.at("/attributes/recoverableDays").asInt()).isEqualTo(90);
        assertThat(b.at("/tags/a").asText()).isEqualTo("b");
        String version = b.get("id").asText().substring(b.get("id").asText().lastIndexOf('/') + 1);

        TestBulwark.Response patched = admin("PATCH", "/secrets/shaped/" + version + V, "{\"attributes\":{\"enabled\":false}}");
        assertThat(patched.json().at("/attributes/enabled").asBoolean()).isFalse();
        assertThat(patched.json().has("value")).isFalse();
        TestBulwark.Response disabled = admin("GET", "/secrets/shaped" + V, null);
        assertError(disabled, 403, "Forbidden");
        assertThat(disabled.json().at("/error/innererror/code").asText()).isEqualTo("SecretDisabled");

        for (int i = 0; i < 3; i++) {
            admin("PUT", "/secrets/paged-" + i + V, "{\"value\":\"p\"}");
        }
        int seen = 0;
        String next = "/secrets" + V + "&maxresults=2";
        while (next != null) {
            TestBulwark.Response page = admin("GET", next, null);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().get("value").size()).isLessThanOrEqualTo(2);
            for (JsonNode item : page.json().get("value")) {
                assertThat(item.has("value")).as("lists never carry values").isFalse();
                seen++;
            }
            JsonNode link = page.json().get("nextLink");
            next = link == null || link.isNull() ? null : link.asText().substring(bulwark.dataUrl().length());
        }
        assertThat(seen).isGreaterThanOrEqualTo(4);

        TestBulwark.Response deleted = admin("DELETE", "/secrets/paged-0" + V, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("recoveryId").asText()).isEqualTo(bulwark.dataUrl() + "/deletedsecrets/paged-0");
        assertThat(deleted.json().get("scheduledPurgeDate").asLong() - deleted.json().get("deletedDate").asLong()).isEqualTo(90L * 86400);
        assertError(admin("PUT", "/secrets/paged-0" + V, "{\"value\":\"again\"}"), 409, "Conflict");
        assertThat(admin("GET", "/deletedsecrets/paged-0" + V, null).status()).isEqualTo(200);
        assertThat(admin("POST", "/deletedsecrets/paged-0/recover" + V, null).status()).isEqualTo(200);
        assertThat(admin("GET", "/secrets/paged-0" + V, null).json().get("value").asText()).isEqualTo("p");
        admin("DELETE", "/secrets/paged-0" + V, null);
        assertThat(admin("DELETE", "/deletedsecrets/paged-0" + V, null).status()).isEqualTo(204);
        assertError(admin("GET", "/deletedsecrets/paged-0" + V, null), 404, "SecretNotFound");
    }

    @Test
    void badRequestsAreKeyVaultBadParameters() {
        assertError(admin("PUT", "/secrets/bad" + V, "{\"value\":"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/bad" + V, "{\"value\":\"a\",\"value\":\"b\"}"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/bad" + V, "{\"value\":5}"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/bad" + V, "[]"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/bad_name" + V, "{\"value\":\"x\"}"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/" + "n".repeat(128) + V, "{\"value\":\"x\"}"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/big" + V, "{\"value\":\"" + "x".repeat(25 * 1024 + 1) + "\"}"), 400, "BadParameter");
        assertThat(admin("PUT", "/secrets/big" + V, "{\"value\":\"" + "x".repeat(25 * 1024) + "\"}").status()).isEqualTo(200);
        assertError(admin("PUT", "/secrets/bad", "{\"value\":\"x\"}"), 400, "BadParameter");
        assertError(admin("PUT", "/secrets/bad" + V, "{\"value\":\"x\",\"attributes\":{\"exp\":\"tomorrow\"}}"), 400, "BadParameter");
        assertError(admin("GET", "/secrets/never-set" + V, null), 404, "SecretNotFound");
    }

    @Test
    void keysWrapAndUnwrapRoundTripAndADisabledKeyRefuses() {
        TestBulwark.Response rsa = admin("POST", "/keys/cmk/create" + V, "{\"kty\":\"RSA\",\"key_size\":2048}");
        assertThat(rsa.status()).as(rsa.body()).isEqualTo(200);
        assertThat(rsa.json().at("/key/kty").asText()).isEqualTo("RSA");
        assertThat(rsa.json().at("/key/n").asText()).isNotEmpty();
        assertThat(rsa.json().at("/key/d").isMissingNode()).as("no private material ever leaves").isTrue();
        String kid = rsa.json().at("/key/kid").asText();
        String version = kid.substring(kid.lastIndexOf('/') + 1);

        String crypto = identityToken("vault-crypto", BuiltInRoles.KEY_VAULT_CRYPTO_USER.id(), "/vault/keys/cmk");
        byte[] dataKey = new byte[32];
        new java.security.SecureRandom().nextBytes(dataKey);
        String plain = Base64.getUrlEncoder().withoutPadding().encodeToString(dataKey);
        for (String alg : new String[] {"RSA-OAEP-256", "RSA-OAEP"}) {
            TestBulwark.Response wrapped = vault("POST", "/keys/cmk/" + version + "/wrapkey" + V,
                    "{\"alg\":\"" + alg + "\",\"value\":\"" + plain + "\"}", crypto);
            assertThat(wrapped.status()).as(wrapped.body()).isEqualTo(200);
            assertThat(wrapped.json().get("kid").asText()).isEqualTo(kid);
            TestBulwark.Response unwrapped = vault("POST", "/keys/cmk/" + version + "/unwrapkey" + V,
                    "{\"alg\":\"" + alg + "\",\"value\":\"" + wrapped.json().get("value").asText() + "\"}", crypto);
            assertThat(unwrapped.json().get("value").asText()).isEqualTo(plain);
        }
        assertError(vault("POST", "/keys/cmk/rotate" + V, null, crypto), 403, "Forbidden");

        TestBulwark.Response oct = admin("POST", "/keys/sym/create" + V, "{\"kty\":\"oct\",\"key_size\":256}");
        assertThat(oct.status()).as(oct.body()).isEqualTo(200);
        TestBulwark.Response w = admin("POST", "/keys/sym//wrapkey" + V, "{\"alg\":\"A256KW\",\"value\":\"" + plain + "\"}");
        assertThat(w.status()).as(w.body()).isEqualTo(200);
        assertThat(admin("POST", "/keys/sym//unwrapkey" + V, "{\"alg\":\"A256KW\",\"value\":\"" + w.json().get("value").asText() + "\"}")
                .json().get("value").asText()).isEqualTo(plain);

        assertThat(admin("PATCH", "/keys/cmk/" + version + V, "{\"attributes\":{\"enabled\":false}}").status()).isEqualTo(200);
        TestBulwark.Response refused = vault("POST", "/keys/cmk/" + version + "/wrapkey" + V,
                "{\"alg\":\"RSA-OAEP-256\",\"value\":\"" + plain + "\"}", crypto);
        assertError(refused, 403, "Forbidden");
        assertThat(refused.json().at("/error/innererror/code").asText()).isEqualTo("KeyDisabled");

        TestBulwark.Response rotated = admin("POST", "/keys/cmk/rotate" + V, null);
        assertThat(rotated.json().at("/key/kid").asText()).isNotEqualTo(kid);
        assertThat(admin("GET", "/keys/cmk/versions" + V, null).json().get("value").size()).isEqualTo(2);
        assertError(admin("POST", "/keys/bad/create" + V, "{\"kty\":\"RSA\",\"key_size\":1024}"), 400, "BadParameter");
    }

    @Test
    void aVaultTokenOpensNothingButTheVault() {
        String token = identityToken("vault-only", BuiltInRoles.KEY_VAULT_SECRETS_USER.id(), "/vault");
        assertThat(bulwark.management("GET", "/accounts", null, token).status()).isEqualTo(401);
        bulwark.createAccount("vault-aud", "TextAnalytics");
        TestBulwark.Response language = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint("vault-aud")
                        + "language/:analyze-text?api-version=2023-04-01"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
                        + "[{\"id\":\"1\",\"text\":\"Hello world\"}]}}")).build());
        assertThat(language.status()).isEqualTo(401);
    }

    @Test
    void everyVaultCallIsAuditedByOperationWithoutItsValue() {
        String canary = "AUDIT-CANARY-" + UUID.randomUUID();
        admin("PUT", "/secrets/audited" + V, "{\"value\":\"" + canary + "\"}");
        String nobody = identityToken("vault-audit-nobody", null, null);
        vault("GET", "/secrets/audited" + V, null, nobody);
        // The record is appended before the answer is sent; flush makes it durable before the query.
        bulwark.bulwark().audit().flush();
        var records = bulwark.bulwark().audit().query(dev.bulwark.audit.AuditQuery.latest(50));
        assertThat(records).anySatisfy(rec -> {
            assertThat(rec.record().operationName()).isEqualTo("Microsoft.KeyVault/vaults/SecretSet");
            assertThat(rec.record().resultSignature()).isEqualTo("200");
            assertThat(rec.record().resourceId()).isEqualTo("/vault/secrets/audited");
        });
        assertThat(records).anySatisfy(rec -> {
            assertThat(rec.record().operationName()).isEqualTo("Microsoft.KeyVault/vaults/SecretGet");
            assertThat(rec.record().resultSignature()).isEqualTo("403");
            assertThat(rec.record().identity()).startsWith("workload:vault-audit-nobody");
        });
        assertThat(records).allSatisfy(rec -> assertThat(rec.record().toString() + rec.record().properties()).doesNotContain(canary));
    }
}
