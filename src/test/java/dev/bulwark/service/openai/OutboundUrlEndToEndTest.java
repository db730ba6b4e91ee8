package dev.bulwark.service.openai;

import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound URL checks (DLP) on the OpenAI routes, end to end: an account with
 * {@code restrictOutboundNetworkAccess} and an {@code allowedFqdnList}, set through the account API,
 * refuses chat requests whose image URLs name other hosts with WIRE.md's 400, before the upstream.
 */
class OutboundUrlEndToEndTest extends OpenAiEndToEnd {
    private static final String ACCOUNT = "dlp-acct";
    private static String key;

    @BeforeAll
    static void account() {
        key = fx.bulwark.createAccount(ACCOUNT, "OpenAI")[0];
        TestBulwark.Response r = fx.bulwark.management("PUT", "/accounts/" + ACCOUNT + "/deployments/" + OpenAiFixture.DEPLOYMENT,
                "{\"sku\":{\"name\":\"Standard\"},\"properties\":{\"model\":{\"format\":\"OpenAI\",\"name\":\"" + OpenAiFixture.UPSTREAM_MODEL
                        + "\"},\"upstream\":{\"baseUrl\":\"" + fx.upstream.baseUrl() + "\",\"credential\":\"file:" + fx.credentialFile
                        + "\",\"connectTimeoutSeconds\":2,\"timeoutSeconds\":5}}}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    @BeforeEach
    void restricted() {
        patch("{\"properties\":{\"restrictOutboundNetworkAccess\":true,\"allowedFqdnList\":[\"images.example.com\"]}}");
    }

    private static TestBulwark.Response patch(String body) {
        TestBulwark.Response r = fx.bulwark.management("PATCH", "/accounts/" + ACCOUNT, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static String chat(String imageUrl) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + imageUrl + "\"}}]}],\"max_tokens\":16}";
    }

    private static TestBulwark.Response post(String deployment, String body) {
        return fx.bulwark.send(HttpRequest.newBuilder(URI.create(fx.bulwark.dataUrl() + "/accounts/" + ACCOUNT
                        + "/openai/deployments/" + deployment + "/chat/completions?api-version=2024-10-21"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("api-key", key).build());
    }

    /** Posts and checks whether the upstream saw the request. */
    private static TestBulwark.Response send(String imageUrl, boolean reachesUpstream) {
        int before = fx.upstream.received().size();
        TestBulwark.Response r = post(OpenAiFixture.DEPLOYMENT, chat(imageUrl));
        assertThat(fx.upstream.received().size()).as(r.body()).isEqualTo(before + (reachesUpstream ? 1 : 0));
        return r;
    }

    private static void assertRefused(TestBulwark.Response r, String host) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        String id = r.headers().firstValue("apim-request-id").orElseThrow();
        assertThat(r.body()).isEqualTo("{\"error\":{\"requestid\":\"" + id + "\",\"code\":400,\"message\":\"Outbound network access is "
                + "restricted. The hostname '" + host + "' for parameter 'messages[0].content[1].image_url.url' is not in the allowed "
                + "FQDN list for this resource.\"}}");
    }

    @Test
    void anAllowedHostPassesToTheUpstream() {
        TestBulwark.Response r = send("https://images.example.com/cat.png", true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(fx.upstream.last().body().at("/messages/0/content/1/image_url/url").asText()).isEqualTo("https://images.example.com/cat.png");
    }

    @Test
    void anotherHostIsRefusedWithWiresBodyAndNeverReachesTheUpstream() {
        assertRefused(send("https://evil.example.net/x.png", false), "evil.example.net");
    }

    @Test
    void bypassFormsAreRefused() {
        // A value that does not parse is named by (a cleaned excerpt of) itself, as docs/dlp.md says,
        // with what could be userinfo (credentials) never shown.
        assertRefused(send("https://images.example.com@evil.example.net/", false), "https://***@evil.example.net/");
        assertThat(send("https://images.example.com.evil.example.net/", false).status()).isEqualTo(400);
        assertThat(send("http://images.example.com/cat.png", false).status()).isEqualTo(400);
        assertThat(send("https://127.1/", false).status()).isEqualTo(400);
    }

    /** {@code "image_url":"<url>"}: the plain-string form some model servers (vLLM) accept and fetch. */
    private static String stringFormChat(String imageUrl) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
                + "{\"type\":\"image_url\",\"image_url\":\"" + imageUrl + "\"}]}],\"max_tokens\":16}";
    }

    @Test
    void theStringFormOfImageUrlIsCheckedToo() {
        int before = fx.upstream.received().size();
        // Plain http is refused as it does not parse for this account (https only), named by itself.
        TestBulwark.Response http = post(OpenAiFixture.DEPLOYMENT, stringFormChat("http://10.0.0.1/x"));
        assertThat(http.status()).as(http.body()).isEqualTo(400);
        assertThat(http.body()).contains("'http://10.0.0.1/x'").contains("'messages[0].content[1].image_url'");
        TestBulwark.Response r = post(OpenAiFixture.DEPLOYMENT, stringFormChat("https://10.0.0.1/x"));
        assertThat(fx.upstream.received()).hasSize(before);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        String id = r.headers().firstValue("apim-request-id").orElseThrow();
        assertThat(r.body()).isEqualTo("{\"error\":{\"requestid\":\"" + id + "\",\"code\":400,\"message\":\"Outbound network access is "
                + "restricted. The hostname '10.0.0.1' for parameter 'messages[0].content[1].image_url' is not in the allowed "
                + "FQDN list for this resource.\"}}");
        TestBulwark.Response evil = post(OpenAiFixture.DEPLOYMENT, stringFormChat("https://evil.example.net/x.png"));
        assertThat(evil.status()).as(evil.body()).isEqualTo(400);
        assertThat(evil.body()).contains("'evil.example.net'").contains("'messages[0].content[1].image_url'");
        assertThat(fx.upstream.received()).hasSize(before);

        TestBulwark.Response ok = post(OpenAiFixture.DEPLOYMENT, stringFormChat("https://images.example.com/cat.png"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(fx.upstream.last().body().at("/messages/0/content/1/image_url").asText()).isEqualTo("https://images.example.com/cat.png");
        assertThat(post(OpenAiFixture.DEPLOYMENT, stringFormChat("data:image/png;base64,AAAA")).status()).isEqualTo(200);
        assertThat(fx.upstream.received()).hasSize(before + 2);
    }

    @Test
    void dataUrlsPass() {
        assertThat(send("data:image/png;base64,AAAA", true).status()).isEqualTo(200);
    }

    @Test
    void theCheckComesBeforeTheDeploymentLookup() {
        int before = fx.upstream.received().size();
        TestBulwark.Response r = post("no-such-deployment", chat("https://evil.example.net/x.png"));
        assertRefused(r, "evil.example.net");
        assertThat(fx.upstream.received()).hasSize(before);
    }

    @Test
    void withoutTheFlagAnythingPasses() {
        patch("{\"properties\":{\"restrictOutboundNetworkAccess\":false}}");
        assertThat(send("https://evil.example.net/x.png", true).status()).isEqualTo(200);
    }

    @Test
    void patchesApplyOnTheNextRequest() {
        assertThat(send("https://other.example.org/x.png", false).status()).isEqualTo(400);
        TestBulwark.Response p = patch("{\"properties\":{\"allowedFqdnList\":[\"images.example.com\",\"Other.Example.ORG\"]}}");
        assertThat(p.json().at("/properties/restrictOutboundNetworkAccess").asBoolean()).isTrue();
        assertThat(p.json().at("/properties/allowedFqdnList/1").asText()).isEqualTo("Other.Example.ORG");
        assertThat(send("https://other.example.org/x.png", true).status()).isEqualTo(200);
        patch("{\"properties\":{\"allowedFqdnList\":[]}}");
        assertThat(send("https://images.example.com/cat.png", false).status()).isEqualTo(400);
    }

    @Test
    void theSettingsAreReturnedAndRefusalsAudited() {
        TestBulwark.Response a = fx.bulwark.management("GET", "/accounts/" + ACCOUNT, null);
        assertThat(a.json().at("/properties/restrictOutboundNetworkAccess").asBoolean()).isTrue();
        assertThat(a.json().at("/properties/allowedFqdnList/0").asText()).isEqualTo("images.example.com");
        String id = send("https://audit.example.net/x.png", false).headers().firstValue("apim-request-id").orElseThrow();
        TestBulwark.Response audit = fx.bulwark.management("GET", "/audit?operation=DataPlane/OutboundUrl", null);
        assertThat(audit.body()).contains(id).contains("audit.example.net").contains("messages[0].content[1].image_url.url");
        // And counted, as the pipeline's own refusals are.
        assertThat(fx.bulwark.management("GET", "/metrics", null).body())
                .containsPattern("bulwark_pipeline_rejections_total\\{stage=\"data-loss-prevention\"} [1-9]");
    }

    @Test
    void credentialsInARefusedUrlAreNeitherAnsweredNorAudited() {
        TestBulwark.Response r = send("https://user:hunter2-pw@images.example.com/cat.png", false);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("hunter2").doesNotContain("user:").contains("'https://***@images.example.com/cat.png'");
        String id = r.headers().firstValue("apim-request-id").orElseThrow();
        TestBulwark.Response audit = fx.bulwark.management("GET", "/audit?operation=DataPlane/OutboundUrl", null);
        assertThat(audit.body()).contains(id).doesNotContain("hunter2");
    }

    @Test
    void badListEntriesAre400sNamingThem() {
        TestBulwark.Response r = fx.bulwark.management("PATCH", "/accounts/" + ACCOUNT,
                "{\"properties\":{\"allowedFqdnList\":[\"ok.example.com\",\"https://images.example.com/\"]}}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidAllowedFqdnList");
        assertThat(r.json().at("/error/message").asText()).contains("allowedFqdnList[1]").contains("https://images.example.com/");
        for (String bad : new String[] {"\"*.example.com\"", "\"images.example.com:443\"", "\"\"", "42"}) {
            TestBulwark.Response b = fx.bulwark.management("PATCH", "/accounts/" + ACCOUNT,
                    "{\"properties\":{\"allowedFqdnList\":[" + bad + "]}}");
            assertThat(b.status()).as(bad + " " + b.body()).isEqualTo(400);
        }
        assertThat(fx.bulwark.management("PATCH", "/accounts/" + ACCOUNT,
                "{\"properties\":{\"allowedFqdnList\":\"images.example.com\"}}").status()).isEqualTo(400);
        assertThat(fx.bulwark.management("PATCH", "/accounts/" + ACCOUNT,
                "{\"properties\":{\"restrictOutboundNetworkAccess\":\"yes\"}}").status()).isEqualTo(400);
        TestBulwark.Response put = fx.bulwark.management("PUT", "/accounts/dlp-put", "{\"location\":\"westeurope\",\"kind\":\"OpenAI\","
                + "\"properties\":{\"restrictOutboundNetworkAccess\":true,\"allowedFqdnList\":[\"a.example\",\"b..example\"]}}");
        assertThat(put.status()).as(put.body()).isEqualTo(400);
        assertThat(put.body()).contains("allowedFqdnList[1]").contains("b..example");
        // Nothing changed by the refused PATCHes.
        assertThat(send("https://images.example.com/cat.png", true).status()).isEqualTo(200);
    }

    @Test
    void aPutStoresTheSettings() {
        TestBulwark.Response put = fx.bulwark.management("PUT", "/accounts/dlp-put2", "{\"location\":\"westeurope\",\"kind\":\"OpenAI\","
                + "\"properties\":{\"restrictOutboundNetworkAccess\":true,\"allowedFqdnList\":[\"a.example\"]}}");
        assertThat(put.status()).as(put.body()).isIn(200, 201);
        TestBulwark.Response get = fx.bulwark.management("GET", "/accounts/dlp-put2", null);
        assertThat(get.json().at("/properties/restrictOutboundNetworkAccess").asBoolean()).isTrue();
        assertThat(get.json().at("/properties/allowedFqdnList/0").asText()).isEqualTo("a.example");
    }
}
