package dev.bulwark.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostPortTest {

    @Test
    void ipv4NamesAndBracketedIpv6() {
        assertThat(HostPort.parse("127.0.0.1:8443", "x")).isEqualTo(new HostPort("127.0.0.1", 8443));
        assertThat(HostPort.parse(" localhost:0 ", "x")).isEqualTo(new HostPort("localhost", 0));
        assertThat(HostPort.parse("[::1]:0", "x")).isEqualTo(new HostPort("::1", 0));
        assertThat(HostPort.parse("[::]:8443", "x")).isEqualTo(new HostPort("::", 8443));
        assertThat(HostPort.parse("[fd00::2]:8443", "x").toString()).isEqualTo("[fd00::2]:8443");
    }

    @Test
    void unbracketedIpv6IsRefusedRatherThanSplitAtAGuess() {
        for (String bad : new String[] {"::1:8443", "::1", "fd00::2:8443", "[::1]", "[]:8443", "[::1:8443", "::1]:8443"}) {
            assertThatThrownBy(() -> HostPort.parse(bad, "data.listen")).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("data.listen");
        }
    }

    @Test
    void badPortsAreRefused() {
        for (String bad : new String[] {"127.0.0.1:", "127.0.0.1:x", "127.0.0.1:65536", "127.0.0.1:-1", ":8443", "127.0.0.1"}) {
            assertThatThrownBy(() -> HostPort.parse(bad, "data.listen")).as(bad).isInstanceOf(ConfigException.class);
        }
    }
}
