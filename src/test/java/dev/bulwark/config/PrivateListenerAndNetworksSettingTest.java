package dev.bulwark.config;

import dev.bulwark.network.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivateListenerAndNetworksSettingTest {
    @TempDir
    Path dir;

    @Test
    void noPrivateListenerAndNoNetworksByDefault() {
        Settings s = Settings.load(null, Map.of());
        assertThat(s.privateDataListen()).isEmpty();
        assertThat(s.networks().names()).isEmpty();
    }

    @Test
    void thePrivateListenerFromTheEnvironmentOrTheFile() throws Exception {
        assertThat(Settings.load(null, Map.of("BULWARK_PRIVATE_DATA_LISTEN", "10.1.2.3:9443")).privateDataListen())
                .contains(new HostPort("10.1.2.3", 9443));
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "data.private.listen=127.0.0.1:9445\n");
        assertThat(Settings.load(f, Map.of()).privateDataListen()).isEqualTo(Optional.of(new HostPort("127.0.0.1", 9445)));
    }

    @Test
    void thePrivateListenerMustNotShareTheDataOrManagementAddress() {
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_DATA_LISTEN", "0.0.0.0:8443", "BULWARK_PRIVATE_DATA_LISTEN", "0.0.0.0:8443")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.private.listen");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_PRIVATE_DATA_LISTEN", "127.0.0.1:8444")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("data.private.listen");
    }

    @Test
    void namedNetworksFromTheFile() throws Exception {
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "network.corp.cidrs=10.0.0.0/8, 127.0.0.2/32\nnetwork.lab.listeners=private\n");
        Settings s = Settings.load(f, Map.of());
        assertThat(s.networks().names()).containsExactly("corp", "lab");
        assertThat(s.networks().find("corp").orElseThrow().cidrs()).isEqualTo(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.2/32")));
        assertThat(s.networks().find("lab").orElseThrow().listeners()).isEqualTo(Set.of("private"));
    }

    @Test
    void aBadNetworkStopsTheStartup() throws Exception {
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "network.corp.cidrs=10.0.0.1/8\n");
        assertThatThrownBy(() -> Settings.load(f, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("network.corp.cidrs");
        Files.writeString(f, "network.corp.subnets=10.0.0.0/8\n");
        assertThatThrownBy(() -> Settings.load(f, Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("network.corp.subnets");
    }
}
