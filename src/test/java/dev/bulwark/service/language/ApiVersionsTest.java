package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2022-05-01", "2023-04-01", "2023-11-15-preview", "2024-11-01", "2025-05-15-preview", "2031-01-01"})
    void languageApiVersionsFromTheFirstStableOneOnAreSupported(String version) {
        assertThat(ApiVersions.isSupported(version)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2022-04-01", "2021-11-01-preview", "2022-02-01-preview", "v3.1", "3.1", "latest",
            "2023-04-01-beta", "2023-02-30", "2023-4-1", " 2023-04-01", "2023-04-01 "})
    void otherVersionsAreNot(String version) {
        assertThat(ApiVersions.isSupported(version)).isFalse();
    }

    @Test
    void missingVersionIsNotSupported() {
        assertThat(ApiVersions.isSupported(null)).isFalse();
    }
}
