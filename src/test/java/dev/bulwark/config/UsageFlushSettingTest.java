package dev.bulwark.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageFlushSettingTest {
    @TempDir
    Path dir;

    @Test
    void usageFlushesEveryTenSecondsUnlessConfigured() throws Exception {
        assertThat(Settings.load(null, Map.of()).usageFlushSeconds()).isEqualTo(10);
        assertThat(Settings.load(null, Map.of("BULWARK_USAGE_FLUSH_SECONDS", "60")).usageFlushSeconds()).isEqualTo(60);
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "usage.flush.seconds=30\n");
        assertThat(Settings.load(f, Map.of()).usageFlushSeconds()).isEqualTo(30);
    }

    @Test
    void aFlushIntervalOutOfRangeStopsTheBoot() {
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_USAGE_FLUSH_SECONDS", "0"))).hasMessageContaining("1 and 3600");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_USAGE_FLUSH_SECONDS", "often"))).hasMessageContaining("whole number");
    }
}
