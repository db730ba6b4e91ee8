package dev.bulwark.server.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenSslSelfTestTest {
    @Test
    void theShippedBoringSslCompletesAHandshakeSoItIsPreferred() {
        Engines.requireAvailable(TlsEngine.OPENSSL);

        // A failure here names the cause, e.g. NoSuchMethodError when netty-tcnative does not match Netty.
        assertThat(OpenSslSelfTest.handshakeFailure()).isEmpty();
        assertThat(TlsEngine.preferred()).isEqualTo(TlsEngine.OPENSSL);
        assertThat(TlsPolicy.engineName()).isEqualTo("openssl");
    }
}
