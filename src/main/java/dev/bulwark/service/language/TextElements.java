package dev.bulwark.service.language;

import java.text.BreakIterator;

/**
 * Counts text the way Azure limits documents: in text elements (user-perceived characters,
 * i.e. extended grapheme clusters, what .NET's {@code StringInfo.LengthInTextElements} counts), so
 * an emoji with modifiers or a letter with combining accents counts once.
 */
final class TextElements {

    private TextElements() {
    }

    /** True when {@code text} has more than {@code limit} text elements. */
    static boolean exceeds(String text, int limit) {
        // A text element is at least one UTF-16 unit, so short strings (nearly all) need no scan.
        if (text.length() <= limit) {
            return false;
        }
        // Since JDK 20 the character instance follows the Unicode extended grapheme cluster rules.
        BreakIterator boundaries = BreakIterator.getCharacterInstance();
        boundaries.setText(text);
        int count = 0;
        while (boundaries.next() != BreakIterator.DONE) {
            if (++count > limit) {
                return true;
            }
        }
        return false;
    }

    /** The number of text elements in {@code text}. */
    static int count(String text) {
        BreakIterator boundaries = BreakIterator.getCharacterInstance();
        boundaries.setText(text);
        int count = 0;
        while (boundaries.next() != BreakIterator.DONE) {
            count++;
        }
        return count;
    }
}
