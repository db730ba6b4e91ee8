package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each hostile request gets its documented status and body, never a 5xx. */
class DataPlaneHostileInputTest {
    private static final String AZURE_401 = "Access denied due to invalid subscription key or wrong API endpoint. "
            + "Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.";
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";

    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static String key1;
    static String otherKey;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home, Map.of("BULWARK_MAX_BODY_BYTES", "65536"));
        key1 = bulwark.createAccount("hostile", "TextAnalytics")[0];
        otherKey = bulwark.createAccount("someone-else", "TextAnalytics")[0];
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static TestBulwark.Response post(String account, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(bulwark.endpoint(account) + "language/:analyze-text?api-version=2023-04-01"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return bulwark.send(b.build());
    }

    private static void assertAzure401(TestBulwark.Response r) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("401");
        assertThat(r.json().path("error").path("message").asText()).isEqualTo(AZURE_401);
        assertThat(r.headers().firstValue("apim-request-id")).isPresent();
    }

    @Test
    void aGoodKeyWorksAndEveryResponseCarriesRequestIdAndHsts() {
        TestBulwark.Response r = post("hostile", GOOD_BODY, "Ocp-Apim-Subscription-Key", key1);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/results/documents/0/detectedLanguage/iso6391Name").asText()).isEqualTo("fr");
        assertThat(r.headers().firstValue("apim-request-id").orElseThrow()).matches("[0-9a-f-]{36}");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).contains("max-age=63072000");
    }

    @Test
    void noKey() {
        assertAzure401(post("hostile", GOOD_BODY));
    }

    @Test
    void emptyKey() {
        // java.net.http refuses empty header values, so send a single space, which HTTP trims to empty.
        assertAzure401(post("hostile", GOOD_BODY, "Ocp-Apim-Subscription-Key", " "));
    }

    @Test
    void wrongKey() {
        assertAzure401(post("hostile", GOOD_BODY, "Ocp-Apim-Subscription-Key", "0123456789abcdef0123456789abcdef"));
        assertAzure401(post("hostile", GOOD_BODY, "Ocp-Apim-Subscription-Key", dev.bulwark.account.AccountKeyFormat.generate()));
    }

    @Test
    void keyWithBrokenChecksum() {
        char last = key1.charAt(key1.length() - 1);
        assertAzure401(post("hostile", GOOD_BODY, "api-key", key1.substring(0, key1.length() - 1) + (last == 'A' ? 'B' : 'A')));
    }

    @Test
    void anotherAccountsKey() {
        assertAzure401(post("hostile", GOOD_BODY, "api-key", otherKey));
    }

    @Test
    void keyInTheWrongHeader() {
        assertAzure401(post("hostile", GOOD_BODY, "Authorization", "Bearer " + key1));
        assertAzure401(post("hostile", GOOD_BODY, "X-Api-Key", key1));
    }

    @Test
    void unknownAccountLooksLikeAWrongKey() {
        assertAzure401(post("no-such-account", GOOD_BODY, "api-key", key1));
    }

    @Test
    void malformedJson() {
        TestBulwark.Response r = post("hostile", "{\"kind\":\"LanguageDetection\",", "api-key", key1);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("InvalidRequest");
    }

    @Test
    void tooManyDocuments() {
        StringBuilder sb = new StringBuilder("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[");
        for (int i = 0; i < 1001; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"text\":\"hello\"}");
        }
        sb.append("]}}");
        TestBulwark.Response r = post("hostile", sb.toString(), "api-key", key1);
        assertThat(r.status()).isEqualTo(400);
        JsonNode e = r.json().path("error");
        assertThat(e.path("code").asText()).isEqualTo("InvalidRequest");
        assertThat(e.path("innererror").path("code").asText()).isEqualTo("InvalidDocumentBatch");
    }

    @Test
    void emptyTextIsAPerDocumentError() {
        TestBulwark.Response r = post("hostile", "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"\"}]}}",
                "api-key", key1);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/results/errors/0/id").asText()).isEqualTo("1");
        assertThat(r.json().at("/results/errors/0/error/innererror/code").asText()).isEqualTo("InvalidDocument");
    }

    @Test
    void unknownKind() {
        TestBulwark.Response r = post("hostile", "{\"kind\":\"MindReading\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"hi\"}]}}",
                "api-key", key1);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("InvalidRequest");
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        String big = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"" + "a".repeat(70_000) + "\"}]}}";
        TestBulwark.Response r = post("hostile", big, "api-key", key1);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("413");
    }

    @Test
    void oversizedChunkedBodyIsRefusedWithoutBeingBufferedWhole() throws Exception {
        // No Content-Length: the limit must bite while streaming.
        try (SSLSocket s = (SSLSocket) bulwark.sslContext().getSocketFactory().createSocket("localhost", bulwark.bulwark().dataPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /accounts/hostile/language/:analyze-text?api-version=2023-04-01 HTTP/1.1\r\nHost: localhost\r\n"
                    + "api-key: " + key1 + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("4000\r\n" + "a".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            String head = "";
            try {
                for (int i = 0; i < 64; i++) { // up to 1 MiB, far over the 64 KiB limit
                    out.write(chunk);
                }
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // Expected once Bulwark answers and closes.
            }
            head = readSome(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void unknownPathAndWrongMethod() {
        TestBulwark.Response r = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint("hostile") + "nothing/here"))
                .header("api-key", key1).GET().build());
        assertThat(r.status()).isEqualTo(404);
        TestBulwark.Response m = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.endpoint("hostile") + "language/:analyze-text"))
                .header("api-key", key1).GET().build());
        assertThat(m.status()).isEqualTo(405);
    }

    @Test
    void plainHttpToTheTlsPortGetsNoHttpAnswer() throws Exception {
        try (Socket s = new Socket("127.0.0.1", bulwark.bulwark().dataPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /accounts/hostile/language/:analyze-text HTTP/1.1\r\nHost: localhost\r\napi-key: " + key1
                    + "\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            String answer = readSome(s.getInputStream());
            assertThat(answer).doesNotContain("HTTP/").doesNotContain("detectedLanguage");
        }
    }

    private static String raw(String request) throws Exception {
        try (SSLSocket s = (SSLSocket) bulwark.sslContext().getSocketFactory().createSocket("localhost", bulwark.bulwark().dataPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readSome(s.getInputStream());
        }
    }

    private static void assertJsonRefusal(String response, int status) {
        // A request line too long to parse leaves the decoder without a version: it answers as HTTP/1.0.
        assertThat(response).matches("(?s)HTTP/1\\.[01] " + status + " .*");
        assertThat(response.toLowerCase(java.util.Locale.ROOT)).contains("strict-transport-security: max-age=63072000")
                .contains("apim-request-id: ");
        assertThat(response).contains("{\"error\":{\"code\":\"" + status + "\"");
    }

    @Test
    void malformedHttpGetsAJsonRefusalNotA5xx() throws Exception {
        String path = "/accounts/hostile/language/:analyze-text?api-version=2023-04-01";
        assertJsonRefusal(raw("POST " + path + " HTTP/1.1\r\nHost: x\r\napi-key: " + key1 + "\r\nContent-Length: abc\r\n\r\n"), 400);
        assertJsonRefusal(raw("POST " + path + " HTTP/1.1\r\nHost: x\r\napi-key: " + key1 + "\r\nContent-Length: -5\r\n\r\n"), 400);
        assertJsonRefusal(raw("POST " + path + " HTTP/1.1\r\nHost: x\r\napi-key: " + key1
                + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400);
        assertJsonRefusal(raw("POST " + path + " HTTP/1.1\r\nHost: x\r\napi-key: " + key1 + "\u0001\r\nContent-Length: 2\r\n\r\n{}"), 400);
        assertJsonRefusal(raw("GET " + path + "&x=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
        assertJsonRefusal(raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n"), 431);
        assertThat(raw("\u0000\u0001\u0002garbage\r\n\r\n")).doesNotContain("HTTP/1.1 5");
    }

    private static String readSome(InputStream in) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
                if (buf.size() > 64 * 1024) {
                    break;
                }
            }
        } catch (java.net.SocketException reset) {
            // A reset is a fine answer to garbage.
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
