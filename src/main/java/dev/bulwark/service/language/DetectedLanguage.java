package dev.bulwark.service.language;

/**
 * One document's answer, exactly as Azure's {@code detectedLanguage} object carries it.
 *
 * @param name            English name as Azure spells it, e.g. {@code English}, {@code Chinese_Simplified}
 * @param iso6391Name     ISO 639-1 code, Azure's {@code zh_chs}/{@code zh_cht} for Chinese, or the
 *                        ISO 639-3 code for languages that have no 639-1 code
 * @param confidenceScore in [0, 1], rounded to two decimals
 */
record DetectedLanguage(String name, String iso6391Name, double confidenceScore) {

    /** Azure's answer for text it cannot judge (numbers only, emoji, too short or too ambiguous). */
    static final DetectedLanguage UNKNOWN = new DetectedLanguage("(Unknown)", "(Unknown)", 0.0);

    boolean isUnknown() {
        return UNKNOWN.iso6391Name.equals(iso6391Name);
    }
}
