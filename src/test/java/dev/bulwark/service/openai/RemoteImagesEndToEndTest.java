package dev.bulwark.service.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.server.TestBulwark;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inlineRemoteImages} end to end: a Bulwark whose fetcher may reach exactly 127.0.0.2 (the
 * operator's allow-list; plain http allowed for the test server), an image store listening there,
 * and the fake model server, which must receive data: URLs or nothing at all.
 */
class RemoteImagesEndToEndTest {
    private static final String INLINE = "chat-inline";
    private static final int MAX_BYTES = 64 * 1024;
    private static final int MAX_TOTAL = 100_000;

    @TempDir
    static Path home;
    static OpenAiFixture fx;
    static Vertx vertx;
    static String store;
    static int storePort;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    static final byte[] PNG = bytes(1500, 1);
    static final byte[] JPEG = bytes(900, 2);

    @BeforeAll
    static void start() throws Exception {
        fx = new OpenAiFixture(home, Map.of(
                "BULWARK_FETCH_ALLOWED_CIDRS", "127.0.0.2/32",
                "BULWARK_FETCH_ALLOW_HTTP", "true",
                "BULWARK_FETCH_MAX_BYTES", Integer.toString(MAX_BYTES),
                "BULWARK_INLINE_IMAGES_MAX_TOTAL_BYTES", Integer.toString(MAX_TOTAL)));
        vertx = Vertx.vertx();
        storePort = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.2").setPort(0)).requestHandler(r -> {
            hits.computeIfAbsent(r.path(), p -> new AtomicInteger()).incrementAndGet();
            switch (r.path()) {
                case "/cat.png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
                case "/dog.jpg" -> r.response().putHeader("Content-Type", "image/jpeg; charset=binary").end(Buffer.buffer(JPEG));
                case "/page" -> r.response().putHeader("Content-Type", "text/html").end("<html>not an image</html>");
                case "/big.png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(bytes(MAX_BYTES + 1, 3)));
                case "/medium.png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(bytes(60_000, 4)));
                case "/to-cat" -> r.response().setStatusCode(302).putHeader("Location", "/cat.png").end();
                case "/to-loopback" -> r.response().setStatusCode(302)
                        .putHeader("Location", "http://127.0.0.1:" + r.localAddress().port() + "/cat.png").end();
                case "/to-metadata" -> r.response().setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data/").end();
                default -> r.response().setStatusCode(404).end();
            }
        }).listen().await(10, TimeUnit.SECONDS).actualPort();
        store = "http://127.0.0.2:" + storePort;
        TestBulwark.Response r = fx.bulwark.management("PUT", "/accounts/" + OpenAiFixture.ACCOUNT + "/deployments/" + INLINE,
                "{\"sku\":{\"name\":\"Standard\"},\"properties\":{\"inlineRemoteImages\":true,\"model\":{\"format\":\"OpenAI\",\"name\":\""
                        + OpenAiFixture.UPSTREAM_MODEL + "\"},\"upstream\":{\"baseUrl\":\"" + fx.upstream.baseUrl() + "\",\"credential\":\"file:"
                        + fx.credentialFile + "\",\"connectTimeoutSeconds\":2,\"timeoutSeconds\":5}}}");
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String chat(String... imageUrls) {
        StringBuilder parts = new StringBuilder("{\"type\":\"text\",\"text\":\"What is this?\"}");
        for (String url : imageUrls) {
            parts.append(",{\"type\":\"image_url\",\"image_url\":{\"url\":\"").append(url).append("\"}}");
        }
        return "{\"messages\":[{\"role\":\"user\",\"content\":[" + parts + "]}],\"max_tokens\":16}";
    }

    /** Posts a chat request to {@code deployment} and checks whether the model server saw it. */
    private static TestBulwark.Response send(String deployment, String body, boolean reachesUpstream) {
        int before = fx.upstream.received().size();
        TestBulwark.Response r = fx.bulwark.send(HttpRequest.newBuilder(URI.create(fx.endpoint() + "/openai/deployments/" + deployment
                        + "/chat/completions?api-version=2024-10-21"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("api-key", fx.key1).build());
        assertThat(fx.upstream.received().size()).as(r.body()).isEqualTo(before + (reachesUpstream ? 1 : 0));
        return r;
    }

    private static String upstreamUrl(int part) {
        return fx.upstream.last().body().at("/messages/0/content/" + part + "/image_url/url").asText();
    }

    private static JsonNode refused(TestBulwark.Response r, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = r.json().get("error");
        assertThat(error.get("code").asText()).as(r.body()).isEqualTo(code);
        return error;
    }

    @Test
    void imagesArriveAtTheModelServerAsDataUrlsWithTheirBytesAndType() {
        TestBulwark.Response r = send(INLINE, chat(store + "/cat.png", store + "/dog.jpg", store + "/to-cat"), true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstreamUrl(1)).isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(PNG));
        assertThat(upstreamUrl(2)).isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(JPEG));
        assertThat(upstreamUrl(3)).isEqualTo(upstreamUrl(1)); // a redirect within the store is followed
        assertThat(fx.upstream.last().body().at("/messages/0/content/0/text").asText()).isEqualTo("What is this?");
    }

    @Test
    void withoutTheOptionTheUrlArrivesUnchangedAndNothingIsFetched() {
        int before = hits.getOrDefault("/cat.png", new AtomicInteger()).get();
        TestBulwark.Response r = send(OpenAiFixture.DEPLOYMENT, chat(store + "/cat.png"), true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstreamUrl(1)).isEqualTo(store + "/cat.png");
        assertThat(hits.getOrDefault("/cat.png", new AtomicInteger()).get()).isEqualTo(before);
    }

    @Test
    void internalAddressesOutsideTheAllowListAreRefusedBeforeTheModelServer() {
        for (String url : List.of("http://127.0.0.1:" + storePort + "/cat.png", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/x.png", "http://[::1]:" + storePort + "/cat.png", "http://localhost:" + storePort + "/cat.png")) {
            JsonNode error = refused(send(INLINE, chat(url), false), "InvalidImageUrl");
            String host = URI.create(url).getHost();
            assertThat(error.get("message").asText()).as(url).isEqualTo("The image URL for parameter 'messages[0].content[1].image_url.url' "
                    + "could not be fetched: " + host + " resolves to an address that may not be fetched.");
        }
    }

    @Test
    void aRedirectToAnInternalAddressIsRefused() {
        int before = hits.getOrDefault("/cat.png", new AtomicInteger()).get();
        for (String path : List.of("/to-loopback", "/to-metadata")) {
            JsonNode error = refused(send(INLINE, chat(store + "/cat.png", store + path), false), "InvalidImageUrl");
            // The second image is named, and the message says which host refused, not which address it had.
            assertThat(error.get("message").asText()).as(path).startsWith("The image URL for parameter 'messages[0].content[2].image_url.url' "
                    + "could not be fetched: ").contains("resolves to an address that may not be fetched");
        }
        // The loopback hop was never made: only the two first images reached the store.
        assertThat(hits.getOrDefault("/cat.png", new AtomicInteger()).get()).isEqualTo(before + 2);
    }

    @Test
    void anAnswerThatIsNoImageIsRefused() {
        JsonNode error = refused(send(INLINE, chat(store + "/page"), false), "InvalidImageUrl");
        assertThat(error.get("message").asText()).contains("messages[0].content[1].image_url.url").contains("did not answer with an image");
    }

    @Test
    void anOversizedImageIsRefusedAndSoAreTooManyBytesTogether() {
        JsonNode one = refused(send(INLINE, chat(store + "/big.png"), false), "InvalidImageUrl");
        assertThat(one.get("message").asText()).contains("larger than " + MAX_BYTES + " bytes");
        // Each of these is under the per-image limit; together they are over the per-request one.
        JsonNode two = refused(send(INLINE, chat(store + "/medium.png", store + "/medium.png"), false), "ImagesTooLarge");
        assertThat(two.get("message").asText()).contains(Integer.toString(MAX_TOTAL));
    }

    @Test
    void moreThanTenImagesAreRefusedWithoutFetchingAny() {
        int before = hits.getOrDefault("/cat.png", new AtomicInteger()).get();
        String[] eleven = new String[ImageInliner.MAX_IMAGES + 1];
        java.util.Arrays.fill(eleven, store + "/cat.png");
        JsonNode error = refused(send(INLINE, chat(eleven), false), "TooManyImages");
        assertThat(error.get("message").asText()).contains("at most 10").contains("has 11");
        assertThat(hits.getOrDefault("/cat.png", new AtomicInteger()).get()).isEqualTo(before);
        assertThat(fx.bulwark.management("GET", "/metrics", null).body())
                .containsPattern("bulwark_pipeline_rejections_total\\{stage=\"remote-image\"} [1-9]");
        String[] ten = java.util.Arrays.copyOf(eleven, ImageInliner.MAX_IMAGES);
        assertThat(send(INLINE, chat(ten), true).status()).isEqualTo(200);
    }

    @Test
    void dataUrlsPassUnchanged() {
        TestBulwark.Response r = send(INLINE, chat("data:image/png;base64,AAAA", store + "/cat.png"), true);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(upstreamUrl(1)).isEqualTo("data:image/png;base64,AAAA");
        assertThat(upstreamUrl(2)).startsWith("data:image/png;base64,");
    }

    @Test
    void otherSchemesAndTheStringFormAreRefused() {
        refused(send(INLINE, chat("file:///etc/passwd"), false), "InvalidImageUrl");
        refused(send(INLINE, chat("ftp://127.0.0.2/cat.png"), false), "InvalidImageUrl");
        String stringForm = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"" + store
                + "/cat.png\"}]}]}";
        JsonNode error = refused(send(INLINE, stringForm, false), "InvalidImageUrl");
        assertThat(error.get("message").asText()).contains("messages[0].content[0].image_url");
    }

    @Test
    void otherDeclaredUrlFieldsAreRefusedUnlessDataUrls() {
        int before = hits.getOrDefault("/cat.png", new AtomicInteger()).get();
        String file = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_url\":\"" + store
                + "/cat.png\"}}]}]}";
        JsonNode error = refused(send(INLINE, file, false), "UnsupportedRemoteUrl");
        assertThat(error.get("message").asText()).contains("messages[0].content[0].file.file_url");
        String video = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + store
                + "/cat.png\"}},{\"type\":\"video_url\",\"video_url\":{\"url\":\"https://videos.example.com/v.mp4\"}}]}]}";
        TestBulwark.Response r = send(INLINE, video, false);
        assertThat(refused(r, "UnsupportedRemoteUrl").get("message").asText()).contains("messages[0].content[1].video_url.url");
        // Refused before any fetch.
        assertThat(hits.getOrDefault("/cat.png", new AtomicInteger()).get()).isEqualTo(before);
        String id = r.headers().firstValue("apim-request-id").orElseThrow();
        assertThat(fx.bulwark.management("GET", "/audit?operation=DataPlane/RemoteImage", null).body()).contains(id)
                .contains("UnsupportedRemoteUrl").contains("messages[0].content[1].video_url.url");
        // Data URLs are nothing to fetch: they pass as they are.
        String dataFile = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_url\":"
                + "\"data:application/pdf;base64,AAAA\"}},{\"type\":\"image_url\",\"image_url\":\"data:image/png;base64,AAAA\"}]}]}";
        assertThat(send(INLINE, dataFile, true).status()).isEqualTo(200);
        assertThat(fx.upstream.last().body().at("/messages/0/content/0/file/file_url").asText()).isEqualTo("data:application/pdf;base64,AAAA");
        // Without the option they are passed on (the outbound URL check, when on, still applies).
        assertThat(send(OpenAiFixture.DEPLOYMENT, file, true).status()).isEqualTo(200);
    }

    @Test
    void aRefusalIsAuditedWithTheParameterAndReason() {
        TestBulwark.Response r = send(INLINE, chat("http://169.254.169.254/latest/meta-data/"), false);
        String id = r.headers().firstValue("apim-request-id").orElseThrow();
        TestBulwark.Response audit = fx.bulwark.management("GET", "/audit?operation=DataPlane/RemoteImage", null);
        assertThat(audit.status()).isEqualTo(200);
        assertThat(audit.body()).contains(id).contains("messages[0].content[1].image_url.url").contains("InvalidImageUrl")
                .contains("169.254.169.254 resolves to an address that may not be fetched");
    }
}
