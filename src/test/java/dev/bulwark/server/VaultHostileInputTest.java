package dev.bulwark.server;

import dev.bulwark.identity.rbac.BuiltInRoles;
import dev.bulwark.identity.token.TokenService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests to the vault on the data plane, sent as raw bytes over TLS: path tricks that
 * try to reach another secret or leave the vault, malformed and forged bearer headers, bodies that
 * are too large or not JSON. None may read a secret, none may answer with a 5xx or an internal.
 */
class VaultHostileInputTest {
    private static final String V = "?api-version=7.5";
    private static final String CANARY = "vault-hostile-canary-" + UUID.randomUUID();
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static String readerToken;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home);
        assertThat(bulwark.management("PUT", "/secrets/guarded" + V, "{\"value\":\"" + CANARY + "\"}").status()).isEqualTo(200);
        assertThat(bulwark.management("PUT", "/secrets/open" + V, "{\"value\":\"not-secret\"}").status()).isEqualTo(200);
        // A workload that may read the secret "open" only.
        TestBulwark.Response created = bulwark.management("PUT", "/identities/hostile-reader", "");
        String clientId = created.json().at("/properties/clientId").asText();
        String secret = created.json().at("/properties/clientSecret").asText();
        assertThat(bulwark.management("PUT", "/roleAssignments/" + UUID.randomUUID(), "{\"properties\":{\"roleDefinitionId\":\""
                + BuiltInRoles.KEY_VAULT_SECRETS_USER.id() + "\",\"principalId\":\"" + clientId
                + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/vault/secrets/open\"}}").status()).isIn(200, 201);
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret + "&scope="
                + URLEncoder.encode(TokenService.VAULT_AUDIENCE + "/.default", StandardCharsets.UTF_8);
        readerToken = bulwark.send(HttpRequest.newBuilder(URI.create(bulwark.dataUrl() + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build())
                .json().get("access_token").asText();
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static String raw(String request) throws Exception {
        try (SSLSocket s = (SSLSocket) bulwark.sslContext().getSocketFactory().createSocket("localhost", bulwark.bulwark().dataPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            StringBuilder sb = new StringBuilder();
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    if (sb.indexOf("\r\n\r\n") > 0 && complete(sb)) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | javax.net.ssl.SSLException e) {
                // whatever arrived is the answer
            }
            return sb.toString();
        }
    }

    private static boolean complete(StringBuilder sb) {
        String head = sb.substring(0, sb.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        int i = head.indexOf("content-length: ");
        if (i < 0) {
            return true;
        }
        int len = Integer.parseInt(head.substring(i + 16, head.indexOf('\r', i) < 0 ? head.length() : head.indexOf('\r', i)).strip());
        return sb.length() - sb.indexOf("\r\n\r\n") - 4 >= len;
    }

    private static String get(String path, String authorization) throws Exception {
        return raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Connection: close\r\n\r\n");
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    @Test
    void theReaderReadsItsSecretAndNothingElseWhateverThePathSays() throws Exception {
        String ok = get("/secrets/open" + V, "Bearer " + readerToken);
        assertThat(status(ok)).as(ok).isEqualTo(200);
        assertThat(ok).contains("not-secret");
        for (String path : new String[] {"/secrets/guarded", "/secrets/open/../guarded", "/secrets/open/%2e%2e/guarded",
                "/secrets/open%2F..%2Fguarded", "/secrets/%67uarded", "/secrets/GUARDED", "/secrets//guarded", "/secrets/./guarded",
                "/secrets/guarded%00", "/secrets/guarded/", "/secrets/open/../../secrets/guarded", "/Secrets/guarded",
                "/secrets/guarded;v=1", "/secrets/guarded\\", "/secrets/open\\..\\guarded", "/deletedsecrets/guarded",
                "/secrets/guarded/versions", "/secrets?maxresults=25&x=/guarded"}) {
            String r = get(path + (path.contains("?") ? "&api-version=7.5" : V), "Bearer " + readerToken);
            assertThat(r).as(path).doesNotContain(CANARY).matches("(?s)HTTP/1\\.[01] [1-4]\\d\\d .*");
        }
    }

    @Test
    void malformedOrForgedBearerHeadersGetTheChallengeNotASecret() throws Exception {
        String[] parts = readerToken.split("\\.");
        String forgedAlgNone = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";
        String tamperedPayload = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        for (String auth : new String[] {null, "", "Bearer", "Bearer ", "bearer" + readerToken,
                "Basic " + readerToken, "Bearer " + forgedAlgNone, "Bearer " + tamperedPayload, "Bearer " + "a".repeat(8000),
                "Bearer " + readerToken + "x", "Bearer ..", "Bearer \u0000"}) {
            String r = get("/secrets/open" + V, auth);
            assertThat(r).as(String.valueOf(auth)).doesNotContain("not-secret").doesNotContain(CANARY);
            int st = status(r);
            assertThat(st).as(String.valueOf(auth)).isIn(400, 401, 431);
            if (st == 401) {
                assertThat(r.toLowerCase(java.util.Locale.ROOT)).as(String.valueOf(auth)).contains("www-authenticate: bearer authorization=");
            }
        }
    }

    @Test
    void bodiesThatAreTooLargeOrNotJsonAreRefusedAndNothingIsStored() throws Exception {
        String huge = "{\"value\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        for (String body : new String[] {huge, deep, "{\"value\":\"a\"} trailing", "\u00ff\u00fe{", "{\"value\":\"\\ud800\"}",
                "{\"value\":\"\\udc00x\"}", "{\"value\":\"x\\ud83d\"}"}) {
            TestBulwark.Response r = bulwark.management("PUT", "/secrets/hostile-body" + V, body);
            assertThat(r.status()).as(body.substring(0, Math.min(40, body.length()))).isBetween(400, 499);
        }
        assertThat(bulwark.management("GET", "/secrets/hostile-body" + V, null).status()).isEqualTo(404);
        // A real pair (an emoji) is fine and comes back unchanged.
        assertThat(bulwark.management("PUT", "/secrets/hostile-body" + V, "{\"value\":\"\\ud83d\\ude00\"}").status()).isEqualTo(200);
        assertThat(bulwark.management("GET", "/secrets/hostile-body" + V, null).json().get("value").asText()).isEqualTo("\ud83d\ude00");
    }
}
