package dev.bulwark.network;

import dev.bulwark.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamedNetworksTest {

    @Test
    void networksAreReadFromSettings() {
        NamedNetworks n = NamedNetworks.parse("""
                network.corp.cidrs=10.0.0.0/8, fd00:1234::/32
                network.corp.listeners=internal
                network.vpn.cidrs=192.0.2.0/24
                network.backoffice.listeners=admin-lan,ops
                data.listen=0.0.0.0:8443
                """);
        assertThat(n.names()).containsExactly("backoffice", "corp", "vpn");
        NamedNetwork corp = n.find("corp").orElseThrow();
        assertThat(corp.cidrs()).extracting(Cidr::toString).containsExactly("10.0.0.0/8", "fd00:1234::/32");
        assertThat(corp.listeners()).containsExactly("internal");
        assertThat(n.find("backoffice").orElseThrow().cidrs()).isEmpty();
        assertThat(n.find("nope")).isEmpty();
    }

    @Test
    void badSettingsStopTheBootNamingTheKey() {
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp.cidrs=10.0.0.0/8, 10.0.0.300"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("network.corp.cidrs: '10.0.0.300' is not an IPv4 or IPv6 address or CIDR");
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp.cidr=10.0.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown network setting 'network.corp.cidr'");
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp=10.0.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("network.<name>.<field>");
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp.cidrs=10.0.0.0/8,,11.0.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp.cidrs=10.0.0.0/8,10.0.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> NamedNetworks.parse("network.corp.cidrs=10.0.0.5/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("host bits");
        assertThatThrownBy(() -> NamedNetworks.parse("network.c*rp.cidrs=10.0.0.0/8"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("network name 'c*rp'");
    }

    @Test
    void aNetworkNeedsCidrsOrListeners() {
        assertThatThrownBy(() -> new NamedNetwork("empty", List.of(), Set.of())).hasMessageContaining("neither");
    }

    @Test
    void aNameIsDefinedOnce() {
        NamedNetwork a = new NamedNetwork("corp", List.of(Cidr.parse("10.0.0.0/8")), Set.of());
        assertThatThrownBy(() -> NamedNetworks.of(a, a)).isInstanceOf(ConfigException.class).hasMessageContaining("twice");
    }
}
