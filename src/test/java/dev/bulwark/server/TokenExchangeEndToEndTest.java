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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key-to-token exchange: issueToken, the token as a bearer credential through the Azure SDK, revocation by regeneration, disableLocalAuth. */
class TokenExchangeEndToEndTest {
    private static final String TEXT = "Dies ist ein ganz normaler deutscher Satz über das Wetter.";

    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static HttpClient azureHttp;

    @BeforeAll
    static void start() throws Exception {
        bulwark = new TestBulwark(home);
        azureHttp = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                .secure(s -> s.sslContext(sslContext()))).build();
    }

    private static io.netty.handler.ssl.SslContext sslContext() {
        try {
            return SslContextBuilder.forClient().trustManager(bulwark.certificate()).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static TestBulwark.Response issue(String path, String header, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + path)).POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            b.header(header, key);
        }
        return bulwark.send(b.build());
    }

    private static TextAnalyticsClient client(String account, TokenCredential credential) {
        return new TextAnalyticsClientBuilder().endpoint(bulwark.endpoint(account)).credential(credential).httpClient(azureHttp)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0))).buildClient();
    }

    @Test
    void aKeyBuysATenMinuteTokenFromTheGlobalAndTheAccountEndpoint() throws Exception {
        String[] keys = bulwark.createAccount("sts-shape", "TextAnalytics");
        TestBulwark.Response global = issue("/sts/v1.0/issueToken", "Ocp-Apim-Subscription-Key", keys[0]);
        assertThat(global.status()).as(global.body()).isEqualTo(200);
        assertThat(global.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        TestBulwark.Response scoped = issue("/accounts/sts-shape/sts/v1.0/issueToken", "api-key", keys[1]);
        assertThat(scoped.status()).isEqualTo(200);

        String[] parts = global.body().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(header.get("alg").asText()).isEqualTo("ES256");
        assertThat(claims.get("azure-resource-id").asText()).isEqualTo("/accounts/sts-shape");
        assertThat(claims.get("region").asText()).isEqualTo("westeurope");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(600);

        JsonNode jwks = new ObjectMapper().readTree(bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/sts/discovery/keys")).GET().build()).body());
        assertThat(jwks.get("keys").findValuesAsText("kid")).contains(header.get("kid").asText());
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }

    @Test
    void theSdkCallsLanguageWithAnExchangedTokenAndRegenerationRevokesIt() {
        String[] keys = bulwark.createAccount("sts-sdk", "TextAnalytics");
        AtomicInteger exchanges = new AtomicInteger();
        TokenCredential viaKey1 = request -> Mono.fromCallable(() -> {
            exchanges.incrementAndGet();
            String token = issue("/sts/v1.0/issueToken", "Ocp-Apim-Subscription-Key", keys[0]).body();
            return new AccessToken(token, OffsetDateTime.now().plusMinutes(9));
        });
        TextAnalyticsClient client = client("sts-sdk", viaKey1);
        assertThat(client.detectLanguage(TEXT).getIso6391Name()).isEqualTo("de");
        assertThat(client.detectLanguage(TEXT).getIso6391Name()).isEqualTo("de");
        assertThat(exchanges.get()).isEqualTo(1); // the SDK reuses the token

        String token = issue("/sts/v1.0/issueToken", "Ocp-Apim-Subscription-Key", keys[0]).body();
        assertThat(bearerCall("sts-sdk", token)).isEqualTo(200);
        assertThat(bearerCall(bulwark.createAccount("sts-other", "TextAnalytics").length > 0 ? "sts-other" : "", token)).isEqualTo(401);
        // A token cannot buy another token.
        assertThat(bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/accounts/sts-sdk/sts/v1.0/issueToken"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build()).status()).isEqualTo(401);

        bulwark.management("POST", "/accounts/sts-sdk/regenerateKey", "{\"keyName\":\"Key1\"}");
        assertThat(bearerCall("sts-sdk", token)).isEqualTo(401);
        assertThatThrownBy(() -> client.detectLanguage(TEXT)).isInstanceOfSatisfying(HttpResponseException.class,
                e -> assertThat(e.getResponse().getStatusCode()).isEqualTo(401));
    }

    @Test
    void rotatingTheSigningKeyKeepsOldTokensValidAndSignsNewOnesWithTheNewKey() throws Exception {
        String[] keys = bulwark.createAccount("sts-rotate", "TextAnalytics");
        String before = issue("/sts/v1.0/issueToken", "api-key", keys[0]).body();
        TestBulwark.Response rotated = bulwark.management("POST", "/signingKeys/rotate", null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String primary = rotated.json().get("primaryKeyId").asText();
        assertThat(rotated.json().at("/jwks/keys").findValuesAsText("kid")).hasSize(2).contains(primary);
        String after = issue("/sts/v1.0/issueToken", "api-key", keys[0]).body();
        String kidAfter = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(after.split("\\.")[0])).get("kid").asText();
        assertThat(kidAfter).isEqualTo(primary);
        assertThat(bearerCall("sts-rotate", before)).isEqualTo(200);
        assertThat(bearerCall("sts-rotate", after)).isEqualTo(200);
        assertThat(bulwark.management("GET", "/audit?operation=Bulwark/signingKeys/rotate/action", null).json().get("value").size()).isEqualTo(1);
    }

    @Test
    void disableLocalAuthStopsKeysAndKeyTokensAtOnceAndTurningItOffRestoresThem() {
        String[] keys = bulwark.createAccount("sts-local", "TextAnalytics");
        String token = issue("/sts/v1.0/issueToken", "Ocp-Apim-Subscription-Key", keys[0]).body();
        assertThat(bulwark.management("PATCH", "/accounts/sts-local", "{\"properties\":{\"disableLocalAuth\":true}}").status()).isEqualTo(200);
        assertThat(issue("/sts/v1.0/issueToken", "Ocp-Apim-Subscription-Key", keys[0]).status()).isEqualTo(401);
        assertThat(keyCall("sts-local", keys[1])).isEqualTo(401);
        assertThat(bearerCall("sts-local", token)).isEqualTo(401);
        bulwark.management("PATCH", "/accounts/sts-local", "{\"properties\":{\"disableLocalAuth\":false}}");
        assertThat(keyCall("sts-local", keys[1])).isEqualTo(200);
        assertThat(bearerCall("sts-local", token)).isEqualTo(200);
    }

    @Test
    void forgedAndFoulTokensAre401AndAudited() {
        bulwark.createAccount("sts-hostile", "TextAnalytics");
        String[] forged = {
                "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
                "not-a-token",
                "a.b.c.d.e",
                "x".repeat(9000)};
        for (String t : forged) {
            assertThat(bearerCall("sts-hostile", t)).as(t.length() > 40 ? t.substring(0, 40) : t).isEqualTo(401);
        }
        JsonNode audit = bulwark.management("GET", "/audit?account=sts-hostile&operation=DataPlane/Authenticate", null).json();
        assertThat(audit.get("value").size()).isGreaterThanOrEqualTo(forged.length);
        assertThat(audit.toString()).doesNotContain("eyJzdWIiOiJ4In0");
    }

    private static int bearerCall(String account, String token) {
        return call(account, "Authorization", "Bearer " + token);
    }

    private static int keyCall(String account, String key) {
        return call(account, "api-key", key);
    }

    private static int call(String account, String header, String value) {
        return bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint(account) + "language/:analyze-text?api-version=2023-04-01"))
                .header(header, value).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\""
                        + TEXT + "\"}]}}", StandardCharsets.UTF_8)).build()).status();
    }
}
