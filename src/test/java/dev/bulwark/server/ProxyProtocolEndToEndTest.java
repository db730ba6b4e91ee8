package dev.bulwark.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data listener with {@code BULWARK_DATA_PROXY_PROTOCOL=true}: the PROXY header (v1 text or v2
 * binary) comes before the TLS handshake, and its source is the client address. Proven with an
 * account whose network rules allow only 203.0.113.9, an address no test socket has.
 */
class ProxyProtocolEndToEndTest {
    private static final String GOOD_BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":"
            + "[{\"id\":\"1\",\"text\":\"Bonjour tout le monde, comment allez-vous aujourd'hui ?\"}]}}";
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static String key;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home, Map.of("BULWARK_DATA_PROXY_PROTOCOL", "true"));
        key = bulwark.createAccount("pp-only", "TextAnalytics")[0];
        TestBulwark.Response patched = bulwark.management("PATCH", "/accounts/pp-only",
                "{\"properties\":{\"networkAcls\":{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.9\"}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    /** Writes {@code proxyHeader} on the raw socket, then one HTTPS call over it; returns the status. */
    private static int call(byte[] proxyHeader, String... headers) throws Exception {
        return RawTlsCall.post(bulwark, "127.0.0.3", proxyHeader, "/accounts/pp-only/language/:analyze-text?api-version=2023-04-01",
                "application/json", key, GOOD_BODY, headers).status();
    }

    private static byte[] v1(String source) {
        return ("PROXY TCP4 " + source + " 127.0.0.1 5555 443\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(byte[] source) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        b.put(source).put(new byte[] {127, 0, 0, 1}).putShort((short) 5555).putShort((short) 443);
        return b.array();
    }

    @Test
    void theVersion1HeadersSourceIsTheClient() throws Exception {
        assertThat(call(v1("203.0.113.9"))).isEqualTo(200);
        assertThat(call(v1("198.51.100.1"))).isEqualTo(403);
    }

    @Test
    void theVersion2HeadersSourceIsTheClient() throws Exception {
        assertThat(call(v2(new byte[] {(byte) 203, 0, 113, 9}))).isEqualTo(200);
        assertThat(call(v2(new byte[] {(byte) 198, 51, 100, 1}))).isEqualTo(403);
    }

    @Test
    void forwardingHeadersStillNeedATrustedPeer() throws Exception {
        // No trusted proxies are configured: the PROXY source is the client, whatever the headers say.
        assertThat(call(v1("198.51.100.1"), "X-Forwarded-For", "203.0.113.9", "Forwarded", "for=203.0.113.9")).isEqualTo(403);
    }

    @Test
    void aConnectionWithoutTheHeaderIsRefused() {
        // A listener configured for the PROXY protocol reads the TLS ClientHello as a bad PROXY header.
        assertThatThrownBy(() -> call(new byte[0])).isInstanceOf(IOException.class);
    }
}
