package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextElementsTest {

    @Test
    void combiningSequencesAndEmojiSequencesCountOnce() {
        assertThat(TextElements.count("e\u0301")).isEqualTo(1);               // e + combining acute
        assertThat(TextElements.count("👍🏽")).isEqualTo(1);                   // thumbs up + skin tone
        assertThat(TextElements.count("👩‍👩‍👧")).isEqualTo(1);                // family, joined by ZWJ
        assertThat(TextElements.count("🇫🇷")).isEqualTo(1);                   // flag: two regional indicators
        assertThat(TextElements.count("abc")).isEqualTo(3);
    }

    @Test
    void limitIsOnTextElementsNotUtf16Units() {
        String accented = "e\u0301".repeat(10); // 20 UTF-16 units, 10 text elements

        assertThat(TextElements.exceeds(accented, 10)).isFalse();
        assertThat(TextElements.exceeds(accented + "x", 10)).isTrue();
        assertThat(TextElements.exceeds("x".repeat(10), 10)).isFalse();
        assertThat(TextElements.exceeds("x".repeat(11), 10)).isTrue();
    }
}
