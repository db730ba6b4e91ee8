package dev.bulwark.server;

import com.azure.ai.textanalytics.TextAnalyticsClient;
import com.azure.ai.textanalytics.TextAnalyticsClientBuilder;
import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import dev.bulwark.identity.oidc.KeycloakServer;
import dev.bulwark.identity.rbac.BuiltInRoles;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Keycloak as the trusted OIDC issuer: users call the Language API through the Azure SDK's
 * TokenCredential, and what they may do is exactly what their role assignments say.
 */
class KeycloakRbacEndToEndTest {
    private static final String TEXT = "Questa è una frase italiana del tutto normale sul tempo di oggi.";

    @TempDir
    static Path dir;
    static KeycloakServer keycloak;
    static TestBulwark bulwark;
    static HttpClient azureHttp;

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.shared();
        Path ca = dir.resolve("keycloak-ca.pem");
        Files.writeString(ca, keycloak.caCertificatePem());
        Path config = dir.resolve("bulwark.properties");
        Files.writeString(config, "oidc.issuer.keycloak.url=" + keycloak.issuer() + "\n"
                + "oidc.issuer.keycloak.audiences=https://cognitiveservices.azure.com\n"
                + "oidc.issuer.keycloak.ca-certificate=" + ca + "\n");
        bulwark = new TestBulwark(dir.resolve("home"), Map.of("BULWARK_CONFIG", config.toString()));
        io.netty.handler.ssl.SslContext ssl = SslContextBuilder.forClient().trustManager(bulwark.certificate()).build();
        azureHttp = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(ssl))).build();
        bulwark.createAccount("kc-lang", "TextAnalytics");
        assign(BuiltInRoles.COGNITIVE_SERVICES_USER.id(), keycloak.userId("alice"), "User", "/accounts/kc-lang");
        assign(BuiltInRoles.COGNITIVE_SERVICES_USER.id(), "/language-users", "Group", "/accounts/kc-lang");
        assign(BuiltInRoles.BULWARK_ACCOUNT_MANAGER.id(), keycloak.userId("dave"), "User", "/");
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static void assign(String roleId, String principalId, String type, String scope) {
        TestBulwark.Response r = bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(),
                "{\"properties\":{\"roleDefinitionId\":\"" + roleId + "\",\"principalId\":\"" + principalId
                        + "\",\"principalType\":\"" + type + "\",\"scope\":\"" + scope + "\"}}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    private static TextAnalyticsClient client(String user) {
        TokenCredential credential = request -> Mono.fromCallable(
                () -> new AccessToken(keycloak.token(user, user + "-password"), OffsetDateTime.now().plusMinutes(4)));
        return new TextAnalyticsClientBuilder().endpoint(bulwark.endpoint("kc-lang")).credential(credential).httpClient(azureHttp)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0))).buildClient();
    }

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (HttpResponseException e) {
            return e.getResponse().getStatusCode();
        }
    }

    @Test
    void aUserWithTheDataRoleCallsLanguageThroughTheSdk() {
        assertThat(client("alice").detectLanguage(TEXT).getIso6391Name()).isEqualTo("it");
    }

    @Test
    void aUserWithNoAssignmentGets403() {
        assertThatThrownBy(() -> client("bob").detectLanguage(TEXT)).isInstanceOfSatisfying(HttpResponseException.class, e -> {
            assertThat(e.getResponse().getStatusCode()).isEqualTo(403);
            assertThat(e.getMessage()).contains("lacks the required data action");
        });
    }

    @Test
    void anAssignmentToAKeycloakGroupWorksForItsMembers() {
        assertThat(client("carol").detectLanguage(TEXT).getIso6391Name()).isEqualTo("it");
    }

    @Test
    void aManagementRoleCreatesAccountsButCannotCallLanguageNorListKeys() {
        String dave = keycloak.token("dave", "dave-password");
        TestBulwark.Response created = bulwark.management("PUT", "/accounts/dave-made",
                "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\"}", dave);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        TestBulwark.Response keys = bulwark.management("POST", "/accounts/dave-made/listKeys", null, dave);
        assertThat(keys.status()).isEqualTo(403);
        assertThat(keys.json().at("/error/code").asText()).isEqualTo("AuthorizationFailed");
        assertThat(keys.body()).doesNotContain("bwk_");
        assertThat(status(() -> client("dave").detectLanguage(TEXT))).isEqualTo(403);
        // The CLI takes the same identity from BULWARK_ACCESS_TOKEN.
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Path ca = dir.resolve("bulwark-ca.pem");
        try {
            Files.writeString(ca, bulwark.bulwark().tls().certificatePem());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        dev.bulwark.cli.CliTestAccess.environment(Map.of("BULWARK_ENDPOINT", bulwark.managementUrl(),
                "BULWARK_ACCESS_TOKEN", dave, "BULWARK_CA_CERT", ca.toString()));
        try {
            int exit = dev.bulwark.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                    "account", "keys", "list", "dave-made");
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("403 AuthorizationFailed");
            assertThat(dev.bulwark.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err), "account", "show", "dave-made"))
                    .as(err.toString()).isZero();
        } finally {
            dev.bulwark.cli.CliTestAccess.environment(System.getenv());
        }
        // Alice has the data role only: no management at all.
        assertThat(bulwark.management("PUT", "/accounts/alice-made", "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\"}",
                keycloak.token("alice", "alice-password")).status()).isEqualTo(403);
    }

    @Test
    void identityTokensKeepWorkingWhenLocalAuthIsDisabled() {
        String[] keys = bulwark.createAccount("kc-nolocal", "TextAnalytics");
        assign(BuiltInRoles.COGNITIVE_SERVICES_USER.id(), keycloak.userId("alice"), "User", "/accounts/kc-nolocal");
        assertThat(bulwark.management("PATCH", "/accounts/kc-nolocal", "{\"properties\":{\"disableLocalAuth\":true}}").status()).isEqualTo(200);
        TextAnalyticsClient alice = new TextAnalyticsClientBuilder().endpoint(bulwark.endpoint("kc-nolocal"))
                .credential((TokenCredential) request -> Mono.fromCallable(() -> new AccessToken(
                        keycloak.token("alice", "alice-password"), OffsetDateTime.now().plusMinutes(4))))
                .httpClient(azureHttp).retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0))).buildClient();
        assertThat(alice.detectLanguage(TEXT).getIso6391Name()).isEqualTo("it");
        TestBulwark.Response byKey = bulwark.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(bulwark.endpoint("kc-nolocal") + "language/:analyze-text?api-version=2023-04-01"))
                .header("api-key", keys[0]).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(byKey.status()).isEqualTo(401);
    }

    @Test
    void aTamperedOrForeignTokenIs401() {
        String alice = keycloak.token("alice", "alice-password");
        String[] parts = alice.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "x." + parts[2];
        TestBulwark.Response r = bulwark.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(bulwark.endpoint("kc-lang") + "language/:analyze-text?api-version=2023-04-01"))
                .header("Authorization", "Bearer " + tampered).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.status()).isEqualTo(401);
        TestBulwark.Response master = bulwark.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(bulwark.endpoint("kc-lang") + "language/:analyze-text?api-version=2023-04-01"))
                .header("Authorization", "Bearer " + keycloak.masterAdminToken()).POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(master.status()).isEqualTo(401);
    }
}
