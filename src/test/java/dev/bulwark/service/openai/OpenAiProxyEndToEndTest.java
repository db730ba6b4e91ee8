package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's behaviour at its edges, over raw HTTPS: upstream down, slow or failing, a client that
 * leaves mid-stream, quotas, what is and is not forwarded, and how keys are accepted on these routes.
 */
class OpenAiProxyEndToEndTest extends OpenAiEndToEnd {
    private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":16}";

    private static String azurePath(String deployment) {
        return "/accounts/" + OpenAiFixture.ACCOUNT + "/openai/deployments/" + deployment + "/chat/completions?api-version=2024-10-21";
    }

    private static TestBulwark.Response post(String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fx.bulwark.dataUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return fx.bulwark.send(b.build());
    }

    private static void assertAzureError(TestBulwark.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode e = r.json().get("error");
        assertThat(e.get("code").isTextual()).isTrue();
        assertThat(e.get("message").isTextual()).isTrue();
    }

    @Test
    void upstreamDownIs502WithoutItsAddress() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        fx.deploy("down", "http://127.0.0.1:" + closedPort + "/v1", 0, 0, 5);
        TestBulwark.Response r = post(azurePath("down"), CHAT, "api-key", fx.key1);
        assertAzureError(r, 502);
        assertThat(r.body()).doesNotContain("127.0.0.1").doesNotContain(Integer.toString(closedPort));
        assertThat(r.headers().firstValue("apim-request-id")).isPresent();
    }

    @Test
    void slowUpstreamIs504AfterTheDeploymentsTimeout() {
        fx.deploy("slow", fx.upstream.baseUrl(), 0, 0, 1);
        fx.upstream.slowMs(5_000);
        fx.upstream.mode(FakeModelServer.Mode.SLOW_HEADERS);
        long start = System.nanoTime();
        TestBulwark.Response r = post(azurePath("slow"), CHAT, "api-key", fx.key1);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertAzureError(r, 504);
        assertThat(tookMs).isBetween(900L, 4_500L);
    }

    @Test
    void upstreamErrorsBecomeAzureShapedWithoutInternals() {
        fx.upstream.mode(FakeModelServer.Mode.ERROR_500);
        TestBulwark.Response r = post(azurePath(OpenAiFixture.DEPLOYMENT), CHAT, "api-key", fx.key1);
        assertAzureError(r, 502);
        assertThat(r.body()).doesNotContain("CUDA").doesNotContain("/opt/models").doesNotContain("10.1.2.3");

        fx.upstream.mode(FakeModelServer.Mode.ERROR_401);
        r = post(azurePath(OpenAiFixture.DEPLOYMENT), CHAT, "api-key", fx.key1);
        assertAzureError(r, 502);
        assertThat(r.body()).doesNotContain("sk-upstream");

        fx.upstream.mode(FakeModelServer.Mode.ERROR_400);
        r = post(azurePath(OpenAiFixture.DEPLOYMENT), CHAT, "api-key", fx.key1);
        assertAzureError(r, 400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(r.body()).contains("maximum context length");

        fx.upstream.mode(FakeModelServer.Mode.ERROR_429);
        r = post(azurePath(OpenAiFixture.DEPLOYMENT), CHAT, "api-key", fx.key1);
        assertAzureError(r, 429);
        assertThat(r.headers().firstValue("Retry-After")).contains("7");
    }

    @Test
    void clientLeavingMidStreamCancelsTheUpstreamRequest() throws Exception {
        fx.upstream.chunkPauseMs(500);
        var abandoned = fx.upstream.resetAbandoned();
        int finished = fx.upstream.streamsFinished();
        try (SSLSocket socket = (SSLSocket) fx.bulwark.sslContext().getSocketFactory().createSocket("127.0.0.1", fx.bulwark.bulwark().dataPort())) {
            socket.setSoTimeout(10_000);
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + azurePath(OpenAiFixture.DEPLOYMENT) + " HTTP/1.1\r\nHost: localhost\r\napi-key: " + fx.key1
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!seen.toString().contains("data: ")) {
                int n = in.read(buf);
                assertThat(n).as("stream ended before the first event").isPositive();
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 200");
        }
        // Bulwark closes its upstream connection: the model server stops generating for nobody.
        assertThat(abandoned.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1_500);
        assertThat(fx.upstream.streamsFinished()).isEqualTo(finished);
    }

    @Test
    void upstreamHangingMidStreamCutsTheClientsStream() {
        fx.deploy("hang", fx.upstream.baseUrl(), 0, 0, 1);
        fx.upstream.mode(FakeModelServer.Mode.HANG_MID_STREAM);
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(fx.bulwark.dataUrl() + azurePath("hang"))).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("api-key", fx.key1).timeout(Duration.ofSeconds(10)).build();
        // The stream began (200) and then breaks off: the client sees an error, not a clean end.
        long start = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.bulwark.client().send(req,
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        // Cut after the deployment's one-second silence, not after some far longer default.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }

    @Test
    void quotaRefusesWith429AndRecoversWhenTheMinuteHasPassed() {
        fx.deploy("limited", fx.upstream.baseUrl(), 2, 0, 5);
        TestBulwark.Response first = post(azurePath("limited"), CHAT, "api-key", fx.key1);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-requests")).contains("1");
        assertThat(post(azurePath("limited"), CHAT, "api-key", fx.key1).status()).isEqualTo(200);

        TestBulwark.Response refused = post(azurePath("limited"), CHAT, "api-key", fx.key1);
        assertAzureError(refused, 429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        // The deployment has no token limit: no token header, rather than a misleading 0.
        assertThat(refused.headers().firstValue("x-ratelimit-remaining-tokens")).isEmpty();
        int upstreamCalls = fx.upstream.received().size();
        assertThat(post(azurePath("limited"), CHAT, "api-key", fx.key1).status()).isEqualTo(429);
        assertThat(fx.upstream.received()).hasSize(upstreamCalls); // refused requests never reach the model

        fx.clock.advance(Duration.ofSeconds(retryAfter));
        assertThat(post(azurePath("limited"), CHAT, "api-key", fx.key1).status()).isEqualTo(200);
    }

    @Test
    void tokenQuotaCountsTheUpstreamsUsage() {
        // Each answer of the fake model uses 17 tokens: the limit is crossed by the second request.
        fx.deploy("tokens", fx.upstream.baseUrl(), 0, 30, 5);
        TestBulwark.Response first = post(azurePath("tokens"), CHAT, "api-key", fx.key1);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).contains("30");
        TestBulwark.Response second = post(azurePath("tokens"), CHAT, "api-key", fx.key1);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.headers().firstValue("x-ratelimit-remaining-tokens")).contains("13");
        TestBulwark.Response third = post(azurePath("tokens"), CHAT, "api-key", fx.key1);
        assertAzureError(third, 429);
        assertThat(third.headers().firstValue("x-ratelimit-remaining-tokens")).contains("0");
        fx.clock.advance(Duration.ofSeconds(61));
        assertThat(post(azurePath("tokens"), CHAT, "api-key", fx.key1).status()).isEqualTo(200);
    }

    @Test
    void clientCredentialsAndHopByHopHeadersNeverReachTheUpstream() {
        TestBulwark.Response r = post(azurePath(OpenAiFixture.DEPLOYMENT), CHAT, "api-key", fx.key1,
                "Cookie", "session=abc", "X-Forwarded-For", "203.0.113.9", "Proxy-Authorization", "Basic Zm9vOmJhcg==",
                "X-Custom-Secret", "s3cr3t", "Forwarded", "for=203.0.113.9");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        var headers = fx.upstream.last().headers();
        assertThat(headers.contains("api-key")).isFalse();
        assertThat(headers.contains("Ocp-Apim-Subscription-Key")).isFalse();
        assertThat(headers.contains("Cookie")).isFalse();
        assertThat(headers.contains("Proxy-Authorization")).isFalse();
        assertThat(headers.contains("X-Custom-Secret")).isFalse();
        assertThat(headers.contains("Forwarded")).isFalse();
        assertThat(headers.contains("X-Forwarded-For")).isFalse();
        assertThat(headers.get("Authorization")).isEqualTo("Bearer " + OpenAiFixture.UPSTREAM_SECRET);
        assertThat(headers.get("X-Request-ID")).isEqualTo(r.headers().firstValue("apim-request-id").orElseThrow());
    }

    @Test
    void bearerKeysFollowTheKeyRules() {
        String v1 = "/accounts/" + OpenAiFixture.ACCOUNT + "/v1/chat/completions";
        String body = "{\"model\":\"" + OpenAiFixture.DEPLOYMENT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(post(v1, body, "Authorization", "Bearer " + fx.key1).status()).isEqualTo(200);
        // A key whose checksum fails, a key of another account, and a key next to an api-key header: 401.
        String broken = fx.key1.substring(0, fx.key1.length() - 1) + (fx.key1.endsWith("A") ? "B" : "A");
        assertThat(post(v1, body, "Authorization", "Bearer " + broken).status()).isEqualTo(401);
        String[] other = fx.bulwark.createAccount("other-openai", "OpenAI");
        assertThat(post(v1, body, "Authorization", "Bearer " + other[0]).status()).isEqualTo(401);
        assertThat(post(v1, body, "Authorization", "Bearer " + fx.key1, "api-key", fx.key1).status()).isEqualTo(401);
        // A key as a bearer token outside the OpenAI routes is refused.
        assertThat(post("/accounts/" + OpenAiFixture.ACCOUNT + "/language/:analyze-text?api-version=2023-04-01", "{}",
                "Authorization", "Bearer " + fx.key1).status()).isEqualTo(401);
    }

    @Test
    void disableLocalAuthRefusesBearerKeysToo() {
        String[] keys = fx.bulwark.createAccount("locked-openai", "OpenAI");
        assertThat(fx.bulwark.management("PATCH", "/accounts/locked-openai", "{\"properties\":{\"disableLocalAuth\":true}}").status())
                .isEqualTo(200);
        String body = "{\"model\":\"x\",\"messages\":[]}";
        assertThat(post("/accounts/locked-openai/v1/chat/completions", body, "Authorization", "Bearer " + keys[0]).status()).isEqualTo(401);
        assertThat(post("/accounts/locked-openai/openai/deployments/x/chat/completions?api-version=2024-10-21", body, "api-key", keys[0])
                .status()).isEqualTo(401);
    }

    @Test
    void rootOpenAiPathsFindTheAccountFromTheKey() {
        String body = "{\"model\":\"" + OpenAiFixture.DEPLOYMENT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        TestBulwark.Response r = post("/v1/chat/completions", body, "Authorization", "Bearer " + fx.key1);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(post("/v1/chat/completions", body).status()).isEqualTo(401);
        assertThat(post("/v1/chat/completions", body, "Authorization", "Bearer not-a-key").status()).isEqualTo(401);
    }

    @Test
    void badRequestsGetClearErrors() {
        String noVersion = "/accounts/" + OpenAiFixture.ACCOUNT + "/openai/deployments/" + OpenAiFixture.DEPLOYMENT + "/chat/completions";
        TestBulwark.Response r = post(noVersion, CHAT, "api-key", fx.key1);
        assertAzureError(r, 400);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("MissingApiVersionParameter");

        assertAzureError(post(azurePath(OpenAiFixture.DEPLOYMENT), "{not json", "api-key", fx.key1), 400);
        assertAzureError(post(azurePath(OpenAiFixture.DEPLOYMENT), "[1,2]", "api-key", fx.key1), 400);
        assertAzureError(post(azurePath(OpenAiFixture.DEPLOYMENT), "{\"messages\":[],\"messages\":[]}", "api-key", fx.key1), 400);
        String v1 = "/accounts/" + OpenAiFixture.ACCOUNT + "/v1/chat/completions";
        assertAzureError(post(v1, "{\"messages\":[]}", "api-key", fx.key1), 400);
        assertAzureError(post(v1, "{\"model\":42}", "api-key", fx.key1), 400);
        TestBulwark.Response unknown = post(azurePath("nope"), CHAT, "api-key", fx.key1);
        assertAzureError(unknown, 404);
        assertThat(unknown.json().get("error").get("code").asText()).isEqualTo("DeploymentNotFound");
    }

    @Test
    void aMissingCredentialFileIs502AndTellsTheClientNothingAboutIt() throws Exception {
        java.nio.file.Path gone = fx.credentialFile.resolveSibling("gone.secret");
        TestBulwark.Response put = fx.bulwark.management("PUT", "/accounts/" + OpenAiFixture.ACCOUNT + "/deployments/nocred",
                "{\"properties\":{\"model\":{\"format\":\"OpenAI\",\"name\":\"m\"},\"upstream\":{\"baseUrl\":\"" + fx.upstream.baseUrl()
                        + "\",\"credential\":\"file:" + gone + "\"}}}");
        assertThat(put.status()).as(put.body()).isIn(200, 201);
        TestBulwark.Response r = post(azurePath("nocred"), CHAT, "api-key", fx.key1);
        assertAzureError(r, 502);
        assertThat(r.body()).doesNotContain(gone.toString());
    }

    @Test
    void usageIsCountedPerDeploymentKeyAndPrincipalAndExported() {
        fx.deploy("metered", fx.upstream.baseUrl(), 0, 0, 5);
        assertThat(post(azurePath("metered"), CHAT, "api-key", fx.key1).status()).isEqualTo(200);
        assertThat(post(azurePath("metered"), CHAT, "api-key", fx.key1).status()).isEqualTo(200);
        String stream = "{\"model\":\"metered\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        assertThat(post("/accounts/" + OpenAiFixture.ACCOUNT + "/v1/chat/completions", stream, "Authorization", "Bearer " + fx.key2).status())
                .isEqualTo(200);

        JsonNode rows = fx.bulwark.management("GET", "/usage?account=" + OpenAiFixture.ACCOUNT + "&deployment=metered&groupBy=key", null)
                .json().get("value");
        assertThat(rows).hasSize(2);
        long requests = 0;
        for (JsonNode row : rows) {
            requests += row.get("requests").asLong();
            // Each answer of the fake model: 11 prompt and 6 completion tokens, streamed or not.
            assertThat(row.get("promptTokens").asLong()).isEqualTo(11L * row.get("requests").asLong());
            assertThat(row.get("completionTokens").asLong()).isEqualTo(6L * row.get("requests").asLong());
        }
        assertThat(requests).isEqualTo(3);

        String metrics = fx.bulwark.management("GET", "/metrics", null).body();
        assertThat(metrics).contains("bulwark_openai_requests_total{account=\"acct\",deployment=\"metered\"} 3");
        assertThat(metrics).contains("bulwark_openai_tokens_total{account=\"acct\",deployment=\"metered\",type=\"prompt\"} 33");
    }

    @Test
    void aBulwarkTokenExchangedForTheKeyIsABearerTokenNotAKey() {
        TestBulwark.Response token = post("/accounts/" + OpenAiFixture.ACCOUNT + "/sts/v1.0/issueToken", "", "api-key", fx.key1);
        assertThat(token.status()).isEqualTo(200);
        String body = "{\"model\":\"" + OpenAiFixture.DEPLOYMENT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        TestBulwark.Response r = post("/accounts/" + OpenAiFixture.ACCOUNT + "/v1/chat/completions", body, "Authorization", "Bearer " + token.body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(fx.upstream.last().headers().toString()).doesNotContain(token.body());
    }
}
