package dev.bulwark.server.tls;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The policy as a client meets it: a real Vert.x HTTPS server configured only by {@link TlsPolicy}, probed by
 * JDK SSLSocket clients (and by raw ClientHellos where the JDK client refuses to make the offer), once per engine.
 */
class TlsPolicyHandshakeTest {
    private static final String SERVER_REFUSED = "Received fatal alert: handshake_failure";

    @TempDir
    static Path home;

    private static Vertx vertx;
    private static TlsMaterial ecdsa;
    private static TlsMaterial rsa;

    @BeforeAll
    static void startVertx() throws Exception {
        vertx = Vertx.vertx();
        ecdsa = TlsMaterial.loadOrGenerate(home, null, null, List.of());
        rsa = TestCertificates.selfSigned(TestCertificates.rsa(2048)).material();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static TlsTestServer server(TlsMaterial material, TlsEngine engine) throws Exception {
        Engines.requireAvailable(engine);
        return TlsTestServer.start(vertx, material, engine, 0);
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void tls13IsNegotiatedAndServesHttpsForLocalhostAndLoopbackAddress(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(ecdsa, engine)) {
            JdkTlsClient client = new JdkTlsClient(ecdsa.certificate());
            for (String hostName : List.of("localhost", "127.0.0.1")) {
                try (SSLSocket socket = client.handshake(server.port(), hostName, null, null, null, null)) {
                    assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
                    assertThat(TlsPolicy.CIPHER_SUITES.subList(0, 3)).contains(socket.getSession().getCipherSuite());
                    assertThat(JdkTlsClient.get(socket)).startsWith("HTTP/1.1 200").contains("ok HTTP_1_1");
                }
            }
        }
    }

    static Stream<Arguments> tls12Suites() {
        return Arrays.stream(TlsEngine.values()).flatMap(engine -> TlsPolicy.CIPHER_SUITES.stream()
                .filter(suite -> suite.startsWith("TLS_ECDHE_"))
                .map(suite -> Arguments.of(engine, suite)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tls12Suites")
    void tls12WorksWithEveryEcdheAeadSuiteOfThePolicy(TlsEngine engine, String suite) throws Exception {
        TlsMaterial material = suite.contains("_ECDSA_") ? ecdsa : rsa;
        try (TlsTestServer server = server(material, engine);
             SSLSocket socket = new JdkTlsClient(material.certificate())
                     .handshake(server.port(), List.of("TLSv1.2"), List.of(suite))) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
            assertThat(JdkTlsClient.get(socket)).startsWith("HTTP/1.1 200");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void tls11AndTls10AreRefused(TlsEngine engine) throws Exception {
        List<Integer> suitesOfTheEra = List.of(RawClientHello.ECDHE_ECDSA_AES_128_CBC_SHA,
                RawClientHello.ECDHE_RSA_AES_128_CBC_SHA, RawClientHello.RSA_AES_128_CBC_SHA);
        try (TlsTestServer server = server(ecdsa, engine)) {
            for (int version : List.of(RawClientHello.TLS_1_1, RawClientHello.TLS_1_0)) {
                RawClientHello.Reply reply = RawClientHello.offer(server.port(), version, suitesOfTheEra);
                assertThat(reply.accepted()).as("TLS version %04x", version).isFalse();
                assertThat(reply.alertDescription()).as("alert for %04x", version)
                        .isEqualTo(RawClientHello.ALERT_PROTOCOL_VERSION);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void cbcSuitesAreRefused(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(ecdsa, engine)) {
            JdkTlsClient client = new JdkTlsClient(ecdsa.certificate());
            for (String suite : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384")) {
                assertThatThrownBy(() -> client.handshake(server.port(), List.of("TLSv1.2"), List.of(suite)).close())
                        .as(suite).isInstanceOf(SSLHandshakeException.class).hasMessageContaining(SERVER_REFUSED);
            }
        }
        try (TlsTestServer server = server(rsa, engine)) {
            assertThatThrownBy(() -> new JdkTlsClient(rsa.certificate())
                    .handshake(server.port(), List.of("TLSv1.2"), List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).close())
                    .isInstanceOf(SSLHandshakeException.class).hasMessageContaining(SERVER_REFUSED);
            RawClientHello.Reply reply = RawClientHello.offer(server.port(), RawClientHello.TLS_1_2,
                    List.of(RawClientHello.ECDHE_RSA_AES_128_CBC_SHA, RawClientHello.ECDHE_RSA_AES_128_CBC_SHA256));
            assertThat(reply.accepted()).isFalse();
            assertThat(reply.alertDescription()).isEqualTo(RawClientHello.ALERT_HANDSHAKE_FAILURE);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void suitesWithoutForwardSecrecyAreRefusedEvenWithAnRsaCertificate(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(rsa, engine)) {
            // The control: the same raw client and server agree on an ECDHE suite, so a refusal below is the policy.
            assertThat(RawClientHello.offer(server.port(), RawClientHello.TLS_1_2,
                    List.of(RawClientHello.ECDHE_RSA_AES_128_GCM_SHA256)).accepted()).isTrue();

            for (int suite : List.of(RawClientHello.RSA_AES_128_GCM_SHA256, RawClientHello.RSA_AES_256_GCM_SHA384,
                    RawClientHello.DHE_RSA_AES_128_GCM_SHA256)) {
                RawClientHello.Reply reply = RawClientHello.offer(server.port(), RawClientHello.TLS_1_2, List.of(suite));
                assertThat(reply.accepted()).as("suite %04x", suite).isFalse();
                assertThat(reply.alertDescription()).as("suite %04x", suite)
                        .isEqualTo(RawClientHello.ALERT_HANDSHAKE_FAILURE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void tls13KeyExchangeIsLimitedToX25519P256AndP384(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(ecdsa, engine)) {
            JdkTlsClient client = new JdkTlsClient(ecdsa.certificate());
            for (String group : List.of("x25519", "secp256r1", "secp384r1")) {
                assertThatCode(() -> client.handshake(server.port(), "localhost", List.of("TLSv1.3"), null,
                        List.of(group), null).close()).as(group).doesNotThrowAnyException();
            }
            for (String group : List.of("secp521r1", "x448", "ffdhe2048", "ffdhe3072")) {
                Throwable refusal = catchThrowable(() -> client.handshake(server.port(), "localhost",
                        List.of("TLSv1.3"), null, List.of(group), null).close());
                // The JDK engine answers an unsupported lone group with unexpected_message, BoringSSL with
                // handshake_failure: either way the server refused.
                assertThat(refusal).as(group).isInstanceOf(SSLException.class).hasMessageContaining("Received fatal alert");
            }
        }
    }

    /**
     * TLS 1.2 is probed with raw ClientHellos: the JDK client does not reliably restrict its supported_groups in
     * TLS 1.2, and a TLS 1.2 client's group list also constrains the certificate's curve, so the RSA certificate
     * is used to test the groups alone.
     */
    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void tls12KeyExchangeIsLimitedToX25519P256AndP384(TlsEngine engine) throws Exception {
        List<Integer> suite = List.of(RawClientHello.ECDHE_RSA_AES_128_GCM_SHA256);
        try (TlsTestServer server = server(rsa, engine)) {
            for (int group : RawClientHello.POLICY_GROUPS) {
                assertThat(RawClientHello.offer(server.port(), RawClientHello.TLS_1_2, suite, List.of(group)).accepted())
                        .as("group %04x", group).isTrue();
            }
            for (int group : List.of(RawClientHello.SECP521R1, RawClientHello.X448, RawClientHello.FFDHE2048)) {
                RawClientHello.Reply reply = RawClientHello.offer(server.port(), RawClientHello.TLS_1_2, suite, List.of(group));
                assertThat(reply.accepted()).as("group %04x", group).isFalse();
                assertThat(reply.alertDescription()).as("group %04x", group).isEqualTo(RawClientHello.ALERT_HANDSHAKE_FAILURE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void clientInitiatedRenegotiationIsRefused(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(ecdsa, engine);
             SSLSocket socket = new JdkTlsClient(ecdsa.certificate()).handshake(server.port(), List.of("TLSv1.2"), null)) {
            Throwable refusal = catchThrowable(() -> {
                socket.startHandshake(); // in TLS 1.2 a second handshake on the connection is a renegotiation
                JdkTlsClient.get(socket);
            });
            // BoringSSL answers no_renegotiation, the JDK (with the property TlsPolicy sets) handshake_failure.
            assertThat(refusal).isInstanceOf(SSLException.class).hasMessageContaining("Received fatal alert");
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void alpnPrefersHttp2AndFallsBackToHttp11(TlsEngine engine) throws Exception {
        try (TlsTestServer server = server(ecdsa, engine)) {
            JdkTlsClient client = new JdkTlsClient(ecdsa.certificate());
            try (SSLSocket socket = client.handshake(server.port(), "localhost", null, null, null, List.of("h2", "http/1.1"))) {
                assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            }
            try (SSLSocket socket = client.handshake(server.port(), "localhost", null, null, null, List.of("http/1.1"))) {
                assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
                assertThat(JdkTlsClient.get(socket)).startsWith("HTTP/1.1 200");
            }
        }
    }
}
