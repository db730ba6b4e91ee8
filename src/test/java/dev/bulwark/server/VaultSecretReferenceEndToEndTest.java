package dev.bulwark.server;

import dev.bulwark.service.openai.FakeModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deployment's upstream credential kept in the built-in vault ({@code vault:<name>}): the model
 * server receives the secret's value, a new version is used from the next request on, and a disabled
 * secret makes calls fail with 502 without its value showing anywhere.
 */
class VaultSecretReferenceEndToEndTest {
    private static final String V = "?api-version=7.5";
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}";
    private static final String FIRST = "sk-vault-first-8c1d2e";
    private static final String SECOND = "sk-vault-second-47b9f0";
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static FakeModelServer upstream;
    static String key;

    @BeforeAll
    static void start() {
        upstream = FakeModelServer.start();
        bulwark = new TestBulwark(home);
        key = bulwark.createAccount("vaultref", "OpenAI")[0];
    }

    @AfterAll
    static void stop() {
        if (bulwark != null) {
            bulwark.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static TestBulwark.Response setSecret(String name, String value) {
        TestBulwark.Response r = bulwark.management("PUT", "/secrets/" + name + V, "{\"value\":\"" + value + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static TestBulwark.Response deploy(String name, String credential) {
        return bulwark.management("PUT", "/accounts/vaultref/deployments/" + name,
                "{\"sku\":{\"name\":\"Standard\"},\"properties\":{\"model\":{\"format\":\"OpenAI\",\"name\":\"fake\"},"
                        + "\"upstream\":{\"baseUrl\":\"" + upstream.baseUrl() + "\",\"credential\":\"" + credential + "\","
                        + "\"connectTimeoutSeconds\":2,\"timeoutSeconds\":5}}}");
    }

    private static TestBulwark.Response chat(String deployment) {
        return bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/accounts/vaultref/openai/deployments/" + deployment
                        + "/chat/completions?api-version=2024-10-21"))
                .header("api-key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build());
    }

    @Test
    void theModelServerGetsTheVaultSecretAndANewVersionFromTheNextRequestOn() {
        setSecret("upstream-key", FIRST);
        TestBulwark.Response deployed = deploy("chat", "vault:upstream-key");
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        assertThat(deployed.body()).doesNotContain(FIRST);
        assertThat(deployed.json().at("/properties/credentialStatus").asText()).isEqualTo("ok");

        TestBulwark.Response r = chat("chat");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstream.last().headers().get("Authorization")).isEqualTo("Bearer " + FIRST);

        // Setting the secret is all an operator does: no deployment update, no restart.
        setSecret("upstream-key", SECOND);
        r = chat("chat");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstream.last().headers().get("Authorization")).isEqualTo("Bearer " + SECOND);
    }

    @Test
    void aDisabledSecretMakesCallsFailWith502WithoutItsValueAndEnablingItRestores() {
        String version = setSecret("disabled-key", FIRST).json().at("/id").asText().replaceAll(".*/", "");
        assertThat(deploy("off", "vault:disabled-key").status()).isEqualTo(201);
        assertThat(chat("off").status()).isEqualTo(200);
        int before = upstream.received().size();

        TestBulwark.Response patched = bulwark.management("PATCH", "/secrets/disabled-key/" + version + V,
                "{\"attributes\":{\"enabled\":false}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        TestBulwark.Response refused = chat("off");
        assertThat(refused.status()).as(refused.body()).isEqualTo(502);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("BadGateway");
        assertThat(refused.body()).doesNotContain(FIRST);
        assertThat(upstream.received()).as("nothing reaches the model server without a credential").hasSize(before);
        TestBulwark.Response shown = bulwark.management("GET", "/accounts/vaultref/deployments/off", null);
        assertThat(shown.json().at("/properties/credentialStatus").asText()).isNotEqualTo("ok");
        assertThat(shown.body()).doesNotContain(FIRST);

        bulwark.management("PATCH", "/secrets/disabled-key/" + version + V, "{\"attributes\":{\"enabled\":true}}");
        assertThat(chat("off").status()).isEqualTo(200);
        assertThat(upstream.last().headers().get("Authorization")).isEqualTo("Bearer " + FIRST);
    }

    @Test
    void aMissingSecretIsA502NotAStartupOrSnapshotFailure() {
        assertThat(deploy("missing", "vault:no-such-secret").status()).isEqualTo(201);
        TestBulwark.Response r = chat("missing");
        assertThat(r.status()).isEqualTo(502);
        // Other deployments keep working: one bad reference does not take the snapshot down.
        setSecret("other-key", FIRST);
        assertThat(deploy("other", "vault:other-key").status()).isEqualTo(201);
        assertThat(chat("other").status()).isEqualTo(200);
    }
}
