package dev.bulwark.config;

import dev.bulwark.network.Cidr;
import dev.bulwark.network.ForwardingHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustedProxiesSettingTest {
    @TempDir
    Path dir;

    @Test
    void noneByDefault() {
        assertThat(Settings.load(null, Map.of()).trustedProxies()).isEmpty();
    }

    @Test
    void commaSeparatedCidrsFromTheEnvironmentOrTheFile() throws Exception {
        Settings s = Settings.load(null, Map.of("BULWARK_TRUSTED_PROXIES", " 10.0.0.0/8, 127.0.0.2 ,2001:db8::/32"));
        assertThat(s.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.2"), Cidr.parse("2001:db8::/32"));
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "trusted.proxies=192.0.2.0/24\n");
        assertThat(Settings.load(f, Map.of()).trustedProxies()).isEqualTo(List.of(Cidr.parse("192.0.2.0/24")));
    }

    @Test
    void theTrustedProxyHeaderIsXForwardedForByDefaultAndOneOfTwoValues() throws Exception {
        assertThat(Settings.load(null, Map.of()).trustedProxyHeader()).isEqualTo(ForwardingHeader.X_FORWARDED_FOR);
        assertThat(Settings.load(null, Map.of("BULWARK_TRUSTED_PROXY_HEADER", "forwarded")).trustedProxyHeader())
                .isEqualTo(ForwardingHeader.FORWARDED);
        assertThat(Settings.load(null, Map.of("BULWARK_TRUSTED_PROXY_HEADER", "X-Forwarded-For")).trustedProxyHeader())
                .isEqualTo(ForwardingHeader.X_FORWARDED_FOR);
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "trusted.proxies.header=forwarded\n");
        assertThat(Settings.load(f, Map.of()).trustedProxyHeader()).isEqualTo(ForwardingHeader.FORWARDED);
        for (String bad : List.of("x-real-ip", "both", "forwarded,x-forwarded-for")) {
            assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_TRUSTED_PROXY_HEADER", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("BULWARK_TRUSTED_PROXY_HEADER")
                    .hasMessageContaining("x-forwarded-for");
        }
    }

    @Test
    void aBadEntryStopsTheStartupNamingIt() {
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example.com")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("trusted.proxies")
                .hasMessageContaining("'proxy.example.com'");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_TRUSTED_PROXIES", "10.0.0.1/8")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'10.0.0.1/8'")
                .hasMessageContaining("10.0.0.0/8");
    }

    @Test
    void proxyProtocolIsOffByDefaultAndStrictlyBoolean() {
        assertThat(Settings.load(null, Map.of()).dataProxyProtocol()).isFalse();
        assertThat(Settings.load(null, Map.of("BULWARK_DATA_PROXY_PROTOCOL", "true")).dataProxyProtocol()).isTrue();
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_DATA_PROXY_PROTOCOL", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("data.proxy-protocol");
    }
}
