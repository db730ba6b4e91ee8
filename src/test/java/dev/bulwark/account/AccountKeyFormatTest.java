package dev.bulwark.account;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AccountKeyFormatTest {

    @Test
    void generatedKeysAreWellFormedUniqueAndRecognisable() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String k = AccountKeyFormat.generate();
            assertThat(k).startsWith("bwk_").hasSize(AccountKeyFormat.LENGTH).matches("bwk_[0-9A-Za-z]{49}");
            assertThat(AccountKeyFormat.isWellFormed(k)).as(k).isTrue();
            assertThat(seen.add(k)).isTrue();
        }
    }

    @Test
    void everySingleCharacterTypoIsCaughtByTheChecksum() {
        String k = AccountKeyFormat.generate();
        for (int i = 4; i < k.length(); i++) {
            char c = k.charAt(i);
            char typo = c == 'a' ? 'b' : 'a';
            String bad = k.substring(0, i) + typo + k.substring(i + 1);
            assertThat(AccountKeyFormat.isWellFormed(bad)).as("typo at %d", i).isFalse();
        }
    }

    @Test
    void swappedNeighboursAreCaught() {
        String k = AccountKeyFormat.generate();
        int caught = 0;
        int tried = 0;
        for (int i = 4; i < k.length() - 1; i++) {
            if (k.charAt(i) == k.charAt(i + 1)) {
                continue;
            }
            tried++;
            String bad = k.substring(0, i) + k.charAt(i + 1) + k.charAt(i) + k.substring(i + 2);
            if (!AccountKeyFormat.isWellFormed(bad)) {
                caught++;
            }
        }
        assertThat(caught).isEqualTo(tried);
    }

    @Test
    void malformedKeysAreRefusedWithoutException() {
        String k = AccountKeyFormat.generate();
        assertThat(AccountKeyFormat.isWellFormed(null)).isFalse();
        assertThat(AccountKeyFormat.isWellFormed("")).isFalse();
        assertThat(AccountKeyFormat.isWellFormed(k.substring(1))).isFalse();
        assertThat(AccountKeyFormat.isWellFormed(k + "0")).isFalse();
        assertThat(AccountKeyFormat.isWellFormed("xyz_" + k.substring(4))).isFalse();
        assertThat(AccountKeyFormat.isWellFormed(k.substring(0, 10) + "é" + k.substring(11))).isFalse();
        assertThat(AccountKeyFormat.isWellFormed(k.substring(0, 10) + "\u0000" + k.substring(11))).isFalse();
        assertThat(AccountKeyFormat.isWellFormed(k.substring(0, 10) + "-" + k.substring(11))).isFalse();
        assertThat(AccountKeyFormat.isWellFormed("0123456789abcdef0123456789abcdef")).isFalse(); // an Azure-style hex key
    }
}
