package dev.bulwark.config;

import dev.bulwark.fetch.FetchPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchSettingsTest {
    @TempDir
    Path dir;

    private static boolean permits(FetchSettings f, String address) throws Exception {
        return f.policy().permits(InetAddress.getByName(address));
    }

    @Test
    void defaultsAreGlobalAddressesOnlyAndHttpsOnly() throws Exception {
        FetchSettings f = Settings.load(null, Map.of()).fetch();
        assertThat(f.allowHttp()).isFalse();
        assertThat(f.policy().allowed()).isEmpty();
        assertThat(f.policy().maxBodyBytes()).isEqualTo(FetchPolicy.DEFAULT_MAX_BODY_BYTES);
        assertThat(f.policy().totalTimeout()).isEqualTo(FetchPolicy.DEFAULT_TOTAL_TIMEOUT);
        assertThat(f.inlineMaxTotalBytes()).isEqualTo(FetchSettings.DEFAULT_INLINE_MAX_TOTAL_BYTES);
        assertThat(permits(f, "127.0.0.1")).isFalse();
        assertThat(permits(f, "169.254.169.254")).isFalse();
        assertThat(permits(f, "93.184.215.14")).isTrue();
    }

    @Test
    void theOperatorsAllowListLimitsAndHttpComeFromTheEnvironmentOrTheFile() throws Exception {
        FetchSettings f = Settings.load(null, Map.of("BULWARK_FETCH_ALLOWED_CIDRS", " 10.20.0.0/16, 127.0.0.2 ,fd00:10::/64",
                "BULWARK_FETCH_ALLOW_HTTP", "true", "BULWARK_FETCH_MAX_BYTES", "1000", "BULWARK_FETCH_TIMEOUT_SECONDS", "2",
                "BULWARK_INLINE_IMAGES_MAX_TOTAL_BYTES", "5000")).fetch();
        assertThat(permits(f, "10.20.3.4")).isTrue();
        assertThat(permits(f, "10.21.0.1")).isFalse();
        assertThat(permits(f, "127.0.0.2")).isTrue();
        assertThat(permits(f, "127.0.0.1")).isFalse(); // a bare address is that one address
        assertThat(permits(f, "fd00:10::5")).isTrue();
        assertThat(f.allowHttp()).isTrue();
        assertThat(f.policy().maxBodyBytes()).isEqualTo(1000);
        assertThat(f.policy().totalTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(f.policy().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(f.inlineMaxTotalBytes()).isEqualTo(5000);

        Path file = dir.resolve("bulwark.properties");
        Files.writeString(file, "fetch.allowed-cidrs=192.168.5.0/24\nfetch.allow-http=false\nfetch.max-bytes=2048\n");
        FetchSettings fromFile = Settings.load(file, Map.of()).fetch();
        assertThat(permits(fromFile, "192.168.5.9")).isTrue();
        assertThat(fromFile.policy().maxBodyBytes()).isEqualTo(2048);
    }

    @Test
    void badValuesStopTheStartupNamingThem() {
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_FETCH_ALLOWED_CIDRS", "10.0.0.0/8,images.internal")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fetch.allowed-cidrs").hasMessageContaining("'images.internal'");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_FETCH_ALLOWED_CIDRS", "10.1.2.3/8")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'10.1.2.3/8'");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_FETCH_ALLOW_HTTP", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fetch.allow-http");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_FETCH_MAX_BYTES", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_FETCH_TIMEOUT_SECONDS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fetch.timeout.seconds");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_INLINE_IMAGES_MAX_TOTAL_BYTES", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("inline-images.max-total-bytes");
    }
}
