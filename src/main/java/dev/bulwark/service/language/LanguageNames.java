package dev.bulwark.service.language;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the OpenNLP model's outcomes (ISO 639-3 codes, some with a suffix such as {@code -rom} or
 * {@code -simp}) to the name and code Azure answers with.
 *
 * <p>Most of the mapping comes from {@link Locale}: the 639-3 code is turned into its 639-1 code
 * and English display name. A small table covers what Locale cannot know: Azure's own codes
 * ({@code zh_chs}, {@code zh_cht}, {@code no}, {@code kmr}, {@code gom}), the model's
 * individual-language codes where Azure answers with the macrolanguage ({@code ekk} Estonian,
 * {@code lvs} Latvian, {@code pes} Persian), romanised and Zawgyi variants that Azure reports as
 * the language itself, and the few names where Azure's spelling differs from CLDR's
 * ({@code Bengali}, not {@code Bangla}). Built once; {@link #forOutcome} fails at startup for an
 * outcome it cannot name, rather than answering with a raw code.
 */
final class LanguageNames {

    /**
     * The answer for one outcome.
     *
     * @param name          Azure's English name
     * @param iso6391Name   Azure's code
     * @param family        key under which outcomes for the same language are summed, and which
     *                      {@link CountryLanguages} is matched against (a {@link Locale} language code)
     * @param listedByAzure whether Azure's language-detection support list has it; the model also
     *                      knows languages Azure never answers (Waray, Volapük, ...)
     */
    record AzureLanguage(String name, String iso6391Name, String family, boolean listedByAzure) {
    }

    static final AzureLanguage CHINESE_SIMPLIFIED = new AzureLanguage("Chinese_Simplified", "zh_chs", "zh", true);
    static final AzureLanguage CHINESE_TRADITIONAL = new AzureLanguage("Chinese_Traditional", "zh_cht", "zh", true);

    /** Outcomes Locale cannot map, or maps differently from Azure. */
    private static final Map<String, AzureLanguage> EXCEPTIONS = Map.ofEntries(
            Map.entry("zho-simp", CHINESE_SIMPLIFIED),
            Map.entry("zho-trad", CHINESE_TRADITIONAL),
            // Mandarin without a script marker; LanguageDetector picks the script from zho-simp/zho-trad.
            Map.entry("cmn", CHINESE_SIMPLIFIED),
            Map.entry("ekk", new AzureLanguage("Estonian", "et", "et", true)),
            Map.entry("lvs", new AzureLanguage("Latvian", "lv", "lv", true)),
            Map.entry("pes", new AzureLanguage("Persian", "fa", "fa", true)),
            // Azure answers Bokmål as "Norwegian"/"no" and lists Nynorsk separately.
            Map.entry("nob", new AzureLanguage("Norwegian", "no", "nb", true)),
            // The model's "kur" is Kurmanji (Latin script), Azure's "Kurdish (Northern)"; its "ckb"
            // (Sorani, Arabic script) is what Azure lists as "Kurdish"/"ku" with the Arab script.
            Map.entry("kur", new AzureLanguage("Kurdish (Northern)", "kmr", "ku", true)),
            Map.entry("ckb", new AzureLanguage("Kurdish", "ku", "ckb", true)),
            Map.entry("gom", new AzureLanguage("Konkani", "gom", "kok", true)),
            Map.entry("knn", new AzureLanguage("Konkani", "gom", "kok", true)),
            // The model's "bih" was trained on the "bh" Wikipedia, which is written in Bhojpuri.
            Map.entry("bih", new AzureLanguage("Bhojpuri", "bho", "bho", true)),
            Map.entry("gug", new AzureLanguage("Guarani", "gn", "gn", false)),
            Map.entry("quz", new AzureLanguage("Quechua", "qu", "qu", false)),
            Map.entry("mhr", new AzureLanguage("Eastern Mari", "mhr", "mhr", false)),
            Map.entry("pnb", new AzureLanguage("Western Panjabi", "pnb", "pnb", false)));

    /** Where Azure's English name differs from CLDR's, keyed by Azure's code. */
    private static final Map<String, String> AZURE_SPELLINGS = Map.of(
            "bn", "Bengali",
            "km", "Central Khmer",
            "ky", "Kirghiz",
            "ht", "Haitian",
            "mi", "Maori");

    /** Codes on Azure's language-detection support list (aka.ms/language-detection language support). */
    private static final Set<String> LISTED_BY_AZURE = Set.of(
            "af", "sq", "am", "ar", "hy", "as", "az", "ba", "eu", "be", "bn", "bho", "brx", "bs", "bg", "my", "ca",
            "km", "ce", "hne", "lzh", "zh_chs", "zh_cht", "cv", "co", "hr", "cs", "da", "prs", "dv", "dgo", "nl", "en",
            "eo", "et", "fo", "fj", "fi", "fr", "gl", "ka", "de", "el", "gu", "ht", "ha", "he", "hi", "mww", "hu", "is",
            "ig", "id", "iu", "ikt", "ga", "it", "ja", "jv", "kn", "ks", "kk", "rw", "ky", "gom", "ko", "ku", "kmr",
            "lo", "la", "lv", "lt", "dsb", "lb", "mk", "mai", "mg", "ms", "ml", "mt", "mi", "mr", "mni", "mn", "ne",
            "no", "nn", "or", "ps", "fa", "pl", "pt", "pa", "otq", "ro", "ru", "sm", "sa", "sat", "sr", "sn", "sd",
            "si", "sk", "sl", "so", "es", "su", "sw", "sv", "tl", "ty", "tg", "ta", "tt", "te", "th", "bo", "ti", "to",
            "tr", "tk", "hsb", "ug", "uk", "ur", "uz", "vi", "cy", "xh", "yi", "yo", "yua", "zu");

    /** ISO 639-3 (terminology) code to 639-1 code, from the JDK's list of two-letter codes. */
    private static final Map<String, String> ISO3_TO_ISO1 = iso3ToIso1();

    private LanguageNames() {
    }

    /**
     * The Azure answer for a model outcome.
     *
     * @throws IllegalArgumentException when neither the table nor {@link Locale} can name it
     */
    static AzureLanguage forOutcome(String outcome) {
        AzureLanguage exception = EXCEPTIONS.get(outcome);
        if (exception != null) {
            return exception;
        }
        // "hin-rom" (romanised Hindi) and "mya-zaw" (Burmese in the Zawgyi encoding) are the
        // language itself to Azure, which reports the script separately.
        String base = outcome.indexOf('-') > 0 ? outcome.substring(0, outcome.indexOf('-')) : outcome;
        String code = ISO3_TO_ISO1.getOrDefault(base, base);
        String name = AZURE_SPELLINGS.getOrDefault(code,
                Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH));
        if (name.isEmpty() || name.equalsIgnoreCase(code)) {
            throw new IllegalArgumentException("no English name known for language detector outcome '" + outcome + "'");
        }
        return new AzureLanguage(name, code, code, LISTED_BY_AZURE.contains(code));
    }

    private static Map<String, String> iso3ToIso1() {
        Map<String, String> map = new HashMap<>();
        for (String two : Locale.getISOLanguages()) {
            Locale locale = Locale.of(two);
            // getISOLanguages() still lists the withdrawn codes iw/in/ji; getLanguage() gives he/id/yi.
            map.put(locale.getISO3Language(), locale.getLanguage());
        }
        return Map.copyOf(map);
    }
}
