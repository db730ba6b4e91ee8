package dev.bulwark.fetch;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operator's allow-list exempts exactly its blocks; bad limits stop the boot. */
class FetchPolicyTest {

    @Test
    void defaultsPermitOnlyGlobalAddresses() throws Exception {
        FetchPolicy p = FetchPolicy.defaults();
        assertThat(p.permits(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThat(p.permits(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(p.maxBodyBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(p.totalTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.maxRedirects()).isEqualTo(3);
    }

    @Test
    void allowListExemptsOnlyItsBlocks() throws Exception {
        FetchPolicy p = FetchPolicy.allowing("10.20.0.0/16", "fd12:3456::/32");
        assertThat(p.permits(InetAddress.getByName("10.20.5.6"))).isTrue();
        assertThat(p.permits(InetAddress.getByName("10.21.0.1"))).isFalse();
        assertThat(p.permits(InetAddress.getByName("fd12:3456::1"))).isTrue();
        assertThat(p.permits(InetAddress.getByName("fd12:3457::1"))).isFalse();
        assertThat(p.permits(InetAddress.getByName("169.254.169.254"))).isFalse();
    }

    @Test
    void badBlocksAndLimitsAreRefusedNotCorrected() {
        assertThatThrownBy(() -> Cidr.parse("10.1.2.3/8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("localhost/32")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FetchPolicy.defaults().withMaxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FetchPolicy.defaults().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FetchPolicy(List.of(), 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 11))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
