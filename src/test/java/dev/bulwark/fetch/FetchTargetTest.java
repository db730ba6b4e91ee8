package dev.bulwark.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only a checked scheme, host, port and path can become a target. */
class FetchTargetTest {

    @ParameterizedTest
    @ValueSource(strings = {"Images.example", "images.example.", "-a.example", "a-.example", "a..example", "a_b.example",
            "127.1", "2130706433", "10.0.0.010", "[::1", "[fe80::1%25eth0]", "ex ample.com", "\u00e9.example", ""})
    void badHostsAreRefused(String host) {
        assertThatThrownBy(() -> new FetchTarget("https", host, 443, "/")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "/a b", "/a\\b", "/a#b", "/\u00e9"})
    void badPathsAreRefused(String path) {
        assertThatThrownBy(() -> new FetchTarget("https", "images.example", 443, path))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyHttpAndHttpsOnRealPorts() {
        assertThatThrownBy(() -> new FetchTarget("ftp", "images.example", 21, "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FetchTarget("HTTPS", "images.example", 443, "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FetchTarget("https", "images.example", 0, "/")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void literalAddressesAreRecognised() {
        assertThat(FetchTarget.of("http", "10.0.0.1", "/").literalAddress()).containsExactly(10, 0, 0, 1);
        assertThat(FetchTarget.of("http", "[::1]", "/").literalAddress()).hasSize(16);
        assertThat(FetchTarget.of("http", "images.example", "/").literalAddress()).isNull();
        assertThat(FetchTarget.of("https", "images.example", "/a?b=1")).hasToString("https://images.example/a?b=1");
    }

    @Test
    void imageContentTypesAreRecognised() {
        assertThat(SafeFetcher.isImage("image/png")).isTrue();
        assertThat(SafeFetcher.isImage("IMAGE/JPEG; charset=binary")).isTrue();
        assertThat(SafeFetcher.isImage("image/")).isFalse();
        assertThat(SafeFetcher.isImage("text/html")).isFalse();
        assertThat(SafeFetcher.isImage("")).isFalse();
        assertThat(SafeFetcher.isImage("image/png/x")).isFalse();
    }
}
