package dev.bulwark.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreHttpsListenersOnTheDocumentedPorts() {
        Settings s = Settings.load(null, Map.of());
        assertThat(s.dataListen()).isEqualTo(new HostPort("0.0.0.0", 8443));
        assertThat(s.managementListen()).isEqualTo(new HostPort("127.0.0.1", 8444));
        assertThat(s.home()).isEqualTo(Path.of(".bulwark").toAbsolutePath().normalize());
        assertThat(s.adminToken()).isEmpty();
        assertThat(s.maxBodyBytes()).isEqualTo(Settings.DEFAULT_MAX_BODY_BYTES);
    }

    @Test
    void environmentWinsOverTheConfigFile() throws Exception {
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "data.listen=127.0.0.1:9000\nmanagement.listen=127.0.0.1:9001\n");
        Settings s = Settings.load(f, Map.of("BULWARK_DATA_LISTEN", "[::1]:9443", "BULWARK_HOME", dir.toString()));
        assertThat(s.dataListen()).isEqualTo(new HostPort("::1", 9443));
        assertThat(s.managementListen()).isEqualTo(new HostPort("127.0.0.1", 9001));
        assertThat(s.home()).isEqualTo(dir);
    }

    @Test
    void aSecretWrittenIntoTheConfigFileStopsTheBootWithoutEchoingIt() throws Exception {
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "admin.token=hunter2-very-secret-token\n");
        assertThatThrownBy(() -> Settings.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("secret reference")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void theConfigFileMayNameASecretInAFileOrTheEnvironment() throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "file-token-0123456789\n");
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "admin.token=file:" + secret + "\n");
        Settings s = Settings.load(f, Map.of());
        assertThat(s.adminToken().orElseThrow().reveal()).isEqualTo("file-token-0123456789");
        assertThat(s.adminToken().orElseThrow().toString()).doesNotContain("file-token");

        Files.writeString(f, "admin.token=env:MY_TOKEN\n");
        assertThat(Settings.load(f, Map.of("MY_TOKEN", "env-token-0123456789")).adminToken().orElseThrow().reveal())
                .isEqualTo("env-token-0123456789");
        assertThatThrownBy(() -> Settings.load(f, Map.of())).hasMessageContaining("MY_TOKEN is not set");
    }

    @Test
    void unknownSettingsAndBadValuesAreRefused() throws Exception {
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "data.lisen=127.0.0.1:1\n");
        assertThatThrownBy(() -> Settings.load(f, Map.of())).hasMessageContaining("data.lisen");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_DATA_LISTEN", "8443"))).hasMessageContaining("host:port");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_DATA_LISTEN", "0.0.0.0:99999"))).hasMessageContaining("range");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_MAX_BODY_BYTES", "lots"))).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_TLS_CERT", "/x.pem"))).hasMessageContaining("both");
    }
}
