package dev.bulwark.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowedFqdnsTest {

    private static boolean allows(AllowedFqdns list, String url) {
        return OutboundUrl.parse(url, false) instanceof ParseResult.Valid v && list.allows(v);
    }

    private static AllowedFqdns of(String... entries) {
        return AllowedFqdns.of(Arrays.asList(entries));
    }

    @Test
    void exactHostIsAllowed() {
        assertThat(allows(of("images.example.com"), "https://images.example.com/a.png")).isTrue();
    }

    @Test
    void entriesAreNormalisedLikeUrlHosts() {
        AllowedFqdns list = of("Images.Example.COM.", "b\u00FCcher.example", "[2001:DB8::0007]", "2001:db8::8");
        assertThat(allows(list, "https://images.example.com/")).isTrue();
        assertThat(allows(list, "https://xn--bcher-kva.example/")).isTrue();
        assertThat(allows(list, "https://B\u00FCcher.example./")).isTrue();
        assertThat(allows(list, "https://[2001:db8::7]/")).isTrue();
        assertThat(allows(list, "https://[2001:db8:0:0:0:0:0:8]/")).isTrue();
    }

    @Test
    void thereIsNoSuffixOrPrefixMatching() {
        AllowedFqdns list = of("allowed.com");
        assertThat(allows(list, "https://allowed.com.evil.io/")).isFalse();
        assertThat(allows(list, "https://evil-allowed.com/")).isFalse();
        assertThat(allows(list, "https://evilallowed.com/")).isFalse();
        assertThat(allows(list, "https://sub.allowed.com/")).isFalse();
        assertThat(allows(of("sub.allowed.com"), "https://allowed.com/")).isFalse();
    }

    @Test
    void ipv4EntryMatchesOnlyItsCanonicalAddress() {
        AllowedFqdns list = of("203.0.113.7");
        assertThat(allows(list, "https://203.0.113.7/")).isTrue();
        assertThat(allows(list, "https://203.0.113.70/")).isFalse();
        assertThat(allows(list, "https://[::ffff:203.0.113.7]/")).isFalse();
    }

    @Test
    void emptyListAllowsNothing() {
        assertThat(allows(AllowedFqdns.of(List.of()), "https://images.example.com/")).isFalse();
        assertThat(allows(AllowedFqdns.none(), "https://images.example.com/")).isFalse();
    }

    @Test
    void duplicatesAfterNormalisationCountOnce() {
        assertThat(of("a.example", "A.EXAMPLE", "a.example.").size()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.example.com", "*", "images.*.com"})
    void wildcardsAreRefusedAtBuild(String entry) {
        assertThatThrownBy(() -> of("ok.example", entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowedFqdnList[1]")
                .hasMessageContaining("wildcard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://images.example.com", "images.example.com/path", "user@images.example.com", "images.example.com:443",
            "images.example.com..", "", " images.example.com", "images example.com", "127.1", "0x7f.0.0.1", "0177.0.0.1", "::ffff:127.0.0.1",
            "ex_ample.com", "a%2eb.com", "a\\b.com", "stra\u00DFe.example", "[::1"})
    void entriesThatAreNotExactlyAHostAreRefusedAtBuild(String entry) {
        assertThatThrownBy(() -> of(entry)).as(entry).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowedFqdnList[0]");
    }

    @Test
    void nullListOrEntryIsRefused() {
        assertThatThrownBy(() -> AllowedFqdns.of(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> of((String) null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThousandEntriesAreAcceptedOneMoreIsNot() {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < AllowedFqdns.MAX_ENTRIES; i++) {
            entries.add("host" + i + ".example");
        }
        assertThat(AllowedFqdns.of(entries).size()).isEqualTo(1000);
        entries.add("one-more.example");
        assertThatThrownBy(() -> AllowedFqdns.of(entries)).hasMessageContaining("at most 1000");
    }
}
