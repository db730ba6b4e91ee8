package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client address over real sockets, with 127.0.0.2 configured as a trusted proxy: its
 * forwarding headers name the client; the same headers from 127.0.0.3 change nothing. The proof
 * is an account whose network rules allow only 203.0.113.9, an address no test socket has.
 */
class TrustedProxyEndToEndTest {
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";

    @TempDir
    static Path home;
    @TempDir
    static Path fwdHome;
    static TestBulwark bulwark;
    static String key;
    static String proxyOnlyKey;
    static String allowKey;
    /** The same proxy configured to write Forwarded (BULWARK_TRUSTED_PROXY_HEADER=forwarded). */
    static TestBulwark fwd;
    static String fwdKey;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home, Map.of("BULWARK_TRUSTED_PROXIES", "127.0.0.2/32"));
        key = bulwark.createAccount("tp-only", "TextAnalytics")[0];
        TestBulwark.Response patched = bulwark.management("PATCH", "/accounts/tp-only",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.9\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        proxyOnlyKey = bulwark.createAccount("tp-proxy-only", "TextAnalytics")[0];
        patched = bulwark.management("PATCH", "/accounts/tp-proxy-only",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"127.0.0.0/24\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        allowKey = bulwark.createAccount("tp-allow", "TextAnalytics")[0];
        patched = bulwark.management("PATCH", "/accounts/tp-allow",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Allow\",\"ipRules\":[{\"value\":\"127.0.0.0/24\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);

        fwd = new TestBulwark(fwdHome, Map.of("BULWARK_TRUSTED_PROXIES", "127.0.0.2/32", "BULWARK_TRUSTED_PROXY_HEADER", "forwarded"));
        fwdKey = fwd.createAccount("tp-only", "TextAnalytics")[0];
        patched = fwd.management("PATCH", "/accounts/tp-only",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.9\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
        if (fwd != null) {
            fwd.close();
        }
    }

    private static Socket connect(String source) throws IOException {
        Socket plain = new Socket();
        plain.bind(new InetSocketAddress(source, 0));
        plain.connect(new InetSocketAddress("127.0.0.1", bulwark.bulwark().dataPort()), 5_000);
        plain.setSoTimeout(10_000);
        return plain;
    }

    /** One HTTP/1.1 Language call from {@code source}; returns the status. */
    private static int call(String source, String... headers) throws Exception {
        return request(source, "/accounts/tp-only/language/:analyze-text?api-version=2023-04-01", GOOD_BODY,
                "application/json", headers);
    }

    /** The same call to the instance whose trusted proxies write Forwarded. */
    private static int callForwarded(String source, String... headers) throws Exception {
        return RawTlsCall.post(fwd, source, null, "/accounts/tp-only/language/:analyze-text?api-version=2023-04-01", "application/json",
                fwdKey, GOOD_BODY, headers).status();
    }

    private static int callAccount(String account, String accountKey, String source, String... headers) throws Exception {
        return RawTlsCall.post(bulwark, source, null, "/accounts/" + account + "/language/:analyze-text?api-version=2023-04-01",
                "application/json", accountKey, GOOD_BODY, headers).status();
    }

    private static int request(String source, String path, String text, String contentType, String... headers) throws Exception {
        return RawTlsCall.post(bulwark, source, null, path, contentType, key, text, headers).status();
    }

    private static String audit() {
        JsonNode audit = bulwark.management("GET", "/audit?account=tp-only&operation=DataPlane/NetworkRules&top=100", null).json();
        return audit.toString();
    }

    @Test
    void aTrustedProxysForwardedClientIsTheOneTheRulesSee() throws Exception {
        // The proxy alone is not allowed...
        assertThat(call("127.0.0.2")).isEqualTo(403);
        // ...but the client it forwards for is, by either header, past further trusted hops.
        assertThat(call("127.0.0.2", "X-Forwarded-For", "203.0.113.9")).isEqualTo(200);
        assertThat(call("127.0.0.2", "X-Forwarded-For", "203.0.113.9, 127.0.0.2")).isEqualTo(200);
        assertThat(callForwarded("127.0.0.2", "Forwarded", "for=\"203.0.113.9:5555\";proto=https")).isEqualTo(200);
        // A client-forged left-most entry is not read: the hop the proxy appended decides.
        assertThat(call("127.0.0.2", "X-Forwarded-For", "203.0.113.9, 198.51.100.50")).isEqualTo(403);
        // X-Real-IP is never used, and garbage falls back to the proxy's own address.
        assertThat(call("127.0.0.2", "X-Real-IP", "203.0.113.9")).isEqualTo(403);
        assertThat(call("127.0.0.2", "X-Forwarded-For", "203.0.113.9:443")).isEqualTo(403);
        // The refusal is audited with the forwarded client's address.
        assertThat(audit()).contains("198.51.100.50");
    }

    @Test
    void theSameHeadersFromAnUntrustedPeerChangeNothing() throws Exception {
        assertThat(call("127.0.0.3", "X-Forwarded-For", "203.0.113.9")).isEqualTo(403);
        assertThat(call("127.0.0.3", "Forwarded", "for=203.0.113.9")).isEqualTo(403);
        assertThat(call("127.0.0.3", "X-Real-IP", "203.0.113.9")).isEqualTo(403);
        assertThat(call("127.0.0.3", "X-Forwarded-For", "198.51.100.77")).isEqualTo(403);
        // Audited as the socket peer; the header's value is not echoed as the caller's address.
        String audit = audit();
        assertThat(audit).contains("127.0.0.3").doesNotContain("198.51.100.77");
    }

    @Test
    void aForgedProxyProtocolHeaderOnAListenerNotConfiguredForItIsRefused() throws Exception {
        // PROXY protocol is off by default: the header is not TLS, so the handshake that follows fails
        // and no request is ever read, let alone from the address the header claims.
        Socket plain = connect("127.0.0.3");
        plain.getOutputStream().write("PROXY TCP4 203.0.113.9 127.0.0.1 5555 443\r\n".getBytes(StandardCharsets.US_ASCII));
        plain.getOutputStream().flush();
        SSLSocketFactory factory = bulwark.sslContext().getSocketFactory();
        try (SSLSocket socket = (SSLSocket) factory.createSocket(plain, "localhost", bulwark.bulwark().dataPort(), true)) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(IOException.class);
        }
    }

    @Test
    void workloadTokenRequestsAreAuditedWithTheDecidedAddressToo() throws Exception {
        String form = "grant_type=client_credentials&client_id=nobody&client_secret=wrong&scope=https%3A%2F%2Fcognitiveservices.azure.com%2F.default";
        String type = "application/x-www-form-urlencoded";
        assertThat(request("127.0.0.2", "/oauth2/v2.0/token", form, type, "X-Forwarded-For", "198.51.100.61")).isBetween(400, 401);
        assertThat(request("127.0.0.3", "/oauth2/v2.0/token", form, type, "X-Forwarded-For", "198.51.100.62")).isBetween(400, 401);
        String audit = bulwark.management("GET", "/audit?operation=Bulwark/identities/token/action&top=100", null).json().toString();
        assertThat(audit).contains("198.51.100.61").contains("127.0.0.3").doesNotContain("198.51.100.62");
    }

    @Test
    void onlyTheConfiguredHeaderIsRead() throws Exception {
        // Default (X-Forwarded-For): a client's own Forwarded that the proxy passed through is ignored...
        assertThat(call("127.0.0.2", "Forwarded", "for=203.0.113.9")).isEqualTo(403);
        assertThat(call("127.0.0.2", "Forwarded", "for=203.0.113.9", "X-Forwarded-For", "198.51.100.71")).isEqualTo(403);
        assertThat(call("127.0.0.2", "Forwarded", "for=198.51.100.72", "X-Forwarded-For", "203.0.113.9")).isEqualTo(200);
        // ...and with Forwarded configured, a client's own X-Forwarded-For is.
        assertThat(callForwarded("127.0.0.2", "X-Forwarded-For", "203.0.113.9")).isEqualTo(403);
        assertThat(callForwarded("127.0.0.2", "X-Forwarded-For", "203.0.113.9", "Forwarded", "for=198.51.100.73")).isEqualTo(403);
        assertThat(callForwarded("127.0.0.2", "X-Forwarded-For", "198.51.100.74", "Forwarded", "for=203.0.113.9")).isEqualTo(200);
        assertThat(audit()).contains("198.51.100.71").doesNotContain("198.51.100.72");
    }

    @Test
    void anUnusableHopFailsClosedEvenWhenTheProxysNetworkIsAllowed() throws Exception {
        // The account allows only the proxy's network: the proxy itself gets in, an unreadable chain does not.
        assertThat(callAccount("tp-proxy-only", proxyOnlyKey, "127.0.0.2")).isEqualTo(200);
        assertThat(callAccount("tp-proxy-only", proxyOnlyKey, "127.0.0.2", "X-Forwarded-For", "127.0.0.2")).isEqualTo(200);
        assertThat(callAccount("tp-proxy-only", proxyOnlyKey, "127.0.0.2", "X-Forwarded-For", "unknown")).isEqualTo(403);
        assertThat(callAccount("tp-proxy-only", proxyOnlyKey, "127.0.0.2", "X-Forwarded-For", "<b>not-an-ip</b>")).isEqualTo(403);
        assertThat(callAccount("tp-proxy-only", proxyOnlyKey, "127.0.0.2", "X-Forwarded-For", "127.0.0.9, _hidden")).isEqualTo(403);
        // defaultAction Allow: the rules do not bite, an unknown client passes.
        assertThat(callAccount("tp-allow", allowKey, "127.0.0.2", "X-Forwarded-For", "unknown")).isEqualTo(200);
        // Audited as "unknown", never the header's text.
        String audit = bulwark.management("GET", "/audit?account=tp-proxy-only&operation=DataPlane/NetworkRules&top=100", null)
                .json().toString();
        assertThat(audit).contains("\"unknown\"").doesNotContain("not-an-ip").doesNotContain("_hidden");
    }
}
