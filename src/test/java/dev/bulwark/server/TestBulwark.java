package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.Settings;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real Bulwark on loopback ports in a temporary home, with HTTPS clients that trust its certificate. */
public final class TestBulwark implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final Map<String, String> env;
    private final java.time.Clock quotaClock;
    private Bulwark bulwark;
    private HttpClient client;

    public TestBulwark(Path home) {
        this(home, Map.of());
    }

    public TestBulwark(Path home, Map<String, String> extraEnv) {
        this(home, extraEnv, java.time.Clock.systemUTC());
    }

    /** @param quotaClock the clock deployment quotas count minutes with */
    public TestBulwark(Path home, Map<String, String> extraEnv, java.time.Clock quotaClock) {
        this.quotaClock = quotaClock;
        this.home = home;
        Map<String, String> e = new HashMap<>();
        e.put("BULWARK_HOME", home.toString());
        e.put("BULWARK_DATA_LISTEN", "127.0.0.1:0");
        e.put("BULWARK_MANAGEMENT_LISTEN", "127.0.0.1:0");
        e.put("BULWARK_ADMIN_TOKEN", ADMIN_TOKEN);
        e.putAll(extraEnv);
        this.env = Map.copyOf(e);
        start();
    }

    public void start() {
        bulwark = Bulwark.start(Settings.load(null, env), quotaClock);
        client = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public void stop() {
        bulwark.close();
    }

    public Bulwark bulwark() {
        return bulwark;
    }

    public Path home() {
        return home;
    }

    public X509Certificate certificate() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bulwark.tls().certificatePem().getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLContext sslContext() {
        return dev.bulwark.crypto.PemTrust.forCertificates(bulwark.tls().certificatePem());
    }

    public String dataUrl() {
        return "https://localhost:" + bulwark.dataPort();
    }

    public String managementUrl() {
        return "https://localhost:" + bulwark.managementPort();
    }

    public String endpoint(String account) {
        return dataUrl() + "/accounts/" + account + "/";
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    public Response management(String method, String path, String body) {
        return management(method, path, body, ADMIN_TOKEN);
    }

    public Response management(String method, String path, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(managementUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + request.uri(), e);
        }
    }

    public HttpClient client() {
        return client;
    }

    private static final String LANGUAGE_BODY =
            "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"Hello world\"}]}}";

    /** Calls the account's Language API with one of its keys; the status. */
    public int analyzeText(String account, String key) {
        return send(HttpRequest.newBuilder(URI.create(endpoint(account) + "language/:analyze-text?api-version=2023-04-01"))
                .header("api-key", key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(LANGUAGE_BODY)).build()).status();
    }

    /** Creates an account and returns its two keys. */
    public String[] createAccount(String name, String kind) {
        Response r = management("PUT", "/accounts/" + name, "{\"location\":\"westeurope\",\"kind\":\"" + kind + "\",\"sku\":{\"name\":\"S0\"}}");
        if (r.status() != 201 && r.status() != 200) {
            throw new AssertionError("create failed: " + r.status() + " " + r.body());
        }
        JsonNode keys = management("POST", "/accounts/" + name + "/listKeys", null).json();
        return new String[] {keys.get("key1").asText(), keys.get("key2").asText()};
    }

    /**
     * Closes Bulwark and lets go of it: test classes keep their TestBulwark in a static field for the
     * whole run, and a closed Bulwark still holds its language model (hundreds of megabytes).
     */
    @Override
    public void close() {
        if (bulwark != null) {
            bulwark.close();
            bulwark = null;
        }
    }
}
