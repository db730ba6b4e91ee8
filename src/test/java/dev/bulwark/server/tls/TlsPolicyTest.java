package dev.bulwark.server.tls;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLContext;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link TlsPolicy#apply} writes into the options, checked directly, without a server. */
class TlsPolicyTest {
    private static final TlsMaterial MATERIAL;

    static {
        try {
            MATERIAL = TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).material();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.class)
    void policyReplacesWhateverTheOptionsCarried(TlsEngine engine) {
        HttpServerOptions options = new HttpServerOptions()
                .addEnabledCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")
                .addEnabledSecureTransportProtocol("TLSv1.1");

        TlsPolicy.apply(options, MATERIAL, engine);

        assertThat(options.isSsl()).isTrue();
        assertThat(options.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrderElementsOf(TlsPolicy.PROTOCOLS);
        assertThat(options.getEnabledCipherSuites()).containsExactlyElementsOf(TlsPolicy.CIPHER_SUITES);
        assertThat(options.getSslOptions().getKeyExchangeGroups()).isEqualTo(engine.keyExchangeGroups());
        assertThat(options.isUseAlpn()).isTrue();
        assertThat(options.getAlpnVersions()).containsExactly(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);
        assertThat(options.getSslEngineOptions())
                .isInstanceOf(engine == TlsEngine.OPENSSL ? OpenSSLEngineOptions.class : JdkSSLEngineOptions.class);
        PemKeyCertOptions keyCert = (PemKeyCertOptions) options.getKeyCertOptions();
        assertThat(keyCert.getCertValue()).isEqualTo(Buffer.buffer(MATERIAL.certificatePem()));
        assertThat(keyCert.getKeyValue()).isEqualTo(Buffer.buffer(MATERIAL.privateKeyPem()));
    }

    @Test
    void policyIsTls12And13WithForwardSecretAeadSuitesOnly() {
        assertThat(TlsPolicy.PROTOCOLS).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(TlsPolicy.CIPHER_SUITES).allSatisfy(suite -> {
            assertThat(suite).containsAnyOf("_GCM_", "_CHACHA20_POLY1305_");
            assertThat(suite).doesNotContain("_CBC_");
            // TLS 1.3 suites carry no key exchange in their name: it is always (EC)DHE there.
            assertThat(suite.startsWith("TLS_ECDHE_") || !suite.contains("_WITH_")).isTrue();
        });
    }

    @Test
    void bothEnginesSupportEverySuiteOfThePolicy() throws Exception {
        assertThat(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
                .contains(TlsPolicy.CIPHER_SUITES.toArray(String[]::new));
        Engines.requireAvailable(TlsEngine.OPENSSL);
        assertThat(OpenSsl.availableJavaCipherSuites()).containsAll(TlsPolicy.CIPHER_SUITES);
    }

    @Test
    void engineNameIsThePreferredEngine() {
        assertThat(TlsPolicy.engineName()).isIn("openssl", "jdk").isEqualTo(TlsEngine.preferred().displayName());
    }

    @Test
    void loggableFailureNeverRepeatsTheBytesAPlainHttpClientSent() {
        String sent = "474554202f20485454502f312e310d0a417574686f72697a6174696f6e3a20426561726572";
        Throwable wrapped = new io.netty.handler.codec.DecoderException(new NotSslRecordException("not an SSL/TLS record: " + sent));

        assertThat(TlsFailures.loggable(wrapped)).doesNotContain(sent).contains("not a TLS connection");
        assertThat(TlsFailures.loggable(new javax.net.ssl.SSLHandshakeException("no cipher suites in common")))
                .isEqualTo("TLS handshake failed: no cipher suites in common");
    }

    @Test
    void keyExchangeGroupsAreTheSameGroupsUnderBothEngines() {
        assertThat(TlsPolicy.KEY_EXCHANGE_GROUPS).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(TlsEngine.OPENSSL.keyExchangeGroups()).containsExactly("X25519", "P-256", "P-384");
        assertThat(List.of(TlsEngine.values())).allSatisfy(engine -> assertThat(engine.keyExchangeGroups()).hasSize(3));
    }
}
