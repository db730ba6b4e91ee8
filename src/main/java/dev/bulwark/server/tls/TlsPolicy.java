package dev.bulwark.server.tls;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The one TLS policy of every Bulwark listener, after Mozilla's "intermediate" profile: TLS 1.3 and 1.2 only,
 * and in TLS 1.2 only suites that are both forward secret (ECDHE) and AEAD (AES-GCM, ChaCha20-Poly1305). No
 * CBC, no static-RSA key exchange, no finite-field DHE. The same lists go to whichever engine runs, so a
 * listener's policy does not depend on whether the native library loaded.
 *
 * <p>Plain HTTP is never served on a TLS listener: Netty's SslHandler rejects a first record that is not TLS
 * (NotSslRecordException) and Vert.x closes the connection without writing anything.
 */
public final class TlsPolicy {
    /** Newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** IANA / JSSE names; TLS 1.3's three first, then TLS 1.2's ECDHE + AEAD suites in Mozilla's order. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * Mozilla intermediate's groups, in the JDK's spelling (see {@link TlsEngine} for BoringSSL's). Pinned because
     * the engines' defaults differ: the JDK would also accept finite-field groups in TLS 1.3 and BoringSSL a
     * post-quantum hybrid the JDK lacks.
     */
    public static final List<String> KEY_EXCHANGE_GROUPS = TlsEngine.JDK.keyExchangeGroups();

    /**
     * The Strict-Transport-Security value every response carries (two years, Mozilla's recommendation). Not
     * includeSubDomains: Bulwark is one service on a domain it does not own the rest of.
     */
    public static final String STRICT_TRANSPORT_SECURITY = "max-age=63072000";

    /** Offered in this order: HTTP/2 when the client can, else HTTP/1.1. */
    static final List<HttpVersion> ALPN = List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1);

    static final String REJECT_CLIENT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        // BoringSSL never renegotiates, but the JDK engine accepts client-initiated TLS 1.2 renegotiation by default:
        // a cheap way for a client to make the server do handshake work over and over (testssl rates it HIGH).
        // The JDK reads this property once, when the first server-side handshake in the process initialises
        // sun.security.ssl.ServerHandshakeContext; setting it when this class loads, before any listener exists,
        // is early enough. It is process-wide, which is what a process that only serves through this policy wants.
        System.setProperty(REJECT_CLIENT_RENEGOTIATION, "true");
    }

    private TlsPolicy() {
    }

    /** Applies certificate, protocols, cipher suites, groups, engine and ALPN to a Vert.x server's options. */
    public static void apply(HttpServerOptions options, TlsMaterial material) {
        apply(options, material, TlsEngine.preferred());
    }

    /** "openssl" or "jdk": the engine {@link #apply} selects on this machine, for the startup log. */
    public static String engineName() {
        return TlsEngine.preferred().displayName();
    }

    static void apply(HttpServerOptions options, TlsMaterial material, TlsEngine engine) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(material, "material");
        options.setSsl(true)
                .setSslEngineOptions(engine.options())
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(material.certificatePem()))
                        .setKeyValue(Buffer.buffer(material.privateKeyPem())))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
        // Replace, never add to, whatever suites the options carried: the policy is the whole list.
        for (String suite : List.copyOf(options.getEnabledCipherSuites())) {
            options.removeEnabledCipherSuite(suite);
        }
        CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
        options.getSslOptions().setKeyExchangeGroups(engine.keyExchangeGroups());
        options.setUseAlpn(true).setAlpnVersions(ALPN);
    }
}
