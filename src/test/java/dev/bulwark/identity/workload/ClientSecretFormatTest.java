package dev.bulwark.identity.workload;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClientSecretFormatTest {

    @Test
    void generatedSecretsHaveThePrefixLengthAlphabetAndAValidChecksum() {
        for (int i = 0; i < 200; i++) {
            String s = ClientSecretFormat.generate().reveal();
            assertThat(s).startsWith("bwcs_").hasSize(54).matches("bwcs_[0-9A-Za-z]{49}");
            assertThat(ClientSecretFormat.isWellFormed(s)).isTrue();
        }
    }

    @Test
    void theRandomPartCarriesAtLeast256Bits() {
        // 43 base62 digits hold 62^43 > 2^256 values, and generate() fills them from 32 random bytes.
        assertThat(43 * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(256.0);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ClientSecretFormat.generate().reveal().substring(5, 48))).isTrue();
        }
    }

    @Test
    void anyChangedCharacterBreaksTheChecksum() {
        String s = ClientSecretFormat.generate().reveal();
        for (int i = 5; i < s.length(); i++) {
            char c = s.charAt(i);
            char other = c == 'a' ? 'b' : 'a';
            String typo = s.substring(0, i) + other + s.substring(i + 1);
            assertThat(ClientSecretFormat.isWellFormed(typo)).as("position %d", i).isFalse();
        }
    }

    @Test
    void otherPrefixesLengthsAndAlphabetsAreRefused() {
        String s = ClientSecretFormat.generate().reveal();
        assertThat(ClientSecretFormat.isWellFormed(null)).isFalse();
        assertThat(ClientSecretFormat.isWellFormed("")).isFalse();
        assertThat(ClientSecretFormat.isWellFormed("bwk_" + s.substring(5) + "x")).isFalse();
        assertThat(ClientSecretFormat.isWellFormed(s.substring(0, 53))).isFalse();
        assertThat(ClientSecretFormat.isWellFormed(s + "0")).isFalse();
        assertThat(ClientSecretFormat.isWellFormed(s.substring(0, 10) + "-" + s.substring(11))).isFalse();
        assertThat(ClientSecretFormat.isWellFormed("BWCS_" + s.substring(5))).isFalse();
    }

    @Test
    void anIssuedSecretMasksItselfInToString() {
        IssuedSecret s = ClientSecretFormat.generate();
        assertThat(s.toString()).doesNotContain(s.reveal()).contains("****");
    }
}
