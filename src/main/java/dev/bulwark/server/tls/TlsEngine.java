package dev.bulwark.server.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

import java.util.List;
import java.util.Optional;

/**
 * The two TLS implementations a listener can run on. BoringSSL (through netty-tcnative) is preferred for
 * throughput (DESIGN.md, stack); the JDK engine is the fallback where the native library cannot load.
 * {@link TlsPolicy} gives both the same protocols, suites and groups; only the spelling of group names differs.
 */
enum TlsEngine {
    /** BoringSSL spells the NIST curves P-256 and P-384 and knows no "secp256r1" alias. */
    OPENSSL("openssl", List.of("X25519", "P-256", "P-384")),
    JDK("jdk", List.of("x25519", "secp256r1", "secp384r1"));

    private final String displayName;
    private final List<String> keyExchangeGroups;

    TlsEngine(String displayName, List<String> keyExchangeGroups) {
        this.displayName = displayName;
        this.keyExchangeGroups = keyExchangeGroups;
    }

    /**
     * OpenSSL when the native library loaded, can do ALPN (HTTP/2 needs it) and completes a handshake; else the
     * JDK. Decided once per process, so the engine named in the startup log is the one every listener uses.
     */
    static TlsEngine preferred() {
        return Preferred.ENGINE;
    }

    private static final class Preferred {
        private static final System.Logger LOG = System.getLogger(TlsEngine.class.getName());
        static final TlsEngine ENGINE = choose();

        private static TlsEngine choose() {
            if (!OpenSSLEngineOptions.isAvailable()) {
                LOG.log(System.Logger.Level.INFO, "TLS: BoringSSL is not available ({0}); using the JDK engine",
                        String.valueOf(OpenSsl.unavailabilityCause()));
                return JDK;
            }
            if (!OpenSSLEngineOptions.isAlpnAvailable()) {
                LOG.log(System.Logger.Level.WARNING, "TLS: BoringSSL cannot do ALPN here; using the JDK engine");
                return JDK;
            }
            Optional<Throwable> failure = OpenSslSelfTest.handshakeFailure();
            if (failure.isPresent()) {
                LOG.log(System.Logger.Level.WARNING, "TLS: BoringSSL loaded but cannot complete a handshake (is"
                        + " netty-tcnative the version this Netty expects?); using the JDK engine", failure.get());
                return JDK;
            }
            return OPENSSL;
        }
    }

    String displayName() {
        return displayName;
    }

    /** {@link TlsPolicy#KEY_EXCHANGE_GROUPS} in this engine's spelling, same order. */
    List<String> keyExchangeGroups() {
        return keyExchangeGroups;
    }

    SSLEngineOptions options() {
        return switch (this) {
            case OPENSSL -> new OpenSSLEngineOptions();
            case JDK -> new JdkSSLEngineOptions();
        };
    }
}
