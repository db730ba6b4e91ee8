package dev.bulwark.server.tls;

import io.netty.handler.ssl.OpenSsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Both engines run every engine-sensitive test; a missing native library is a failure where the pom ships one. */
final class Engines {
    private Engines() {
    }

    static void requireAvailable(TlsEngine engine) {
        if (engine != TlsEngine.OPENSSL) {
            return;
        }
        boolean shipped = System.getProperty("os.name").toLowerCase().contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        // The pom carries netty-tcnative-boringssl-static for linux-x86_64 only; elsewhere there is nothing to test.
        assumeTrue(shipped || OpenSsl.isAvailable(), "no BoringSSL build for this platform in the pom");
        assertThat(OpenSsl.isAvailable())
                .as("BoringSSL should load on linux-x86_64: %s", OpenSsl.unavailabilityCause())
                .isTrue();
    }
}
