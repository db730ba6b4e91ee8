package dev.bulwark.service.language;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which countries exist (ISO 3166-1 alpha-2) and which languages are used in each, for
 * {@code countryHint}. Both come from the JDK: the country list from
 * {@link Locale#getISOCountries()}, and the languages of a country from the locales CLDR defines
 * for it (e.g. {@code US} gives English, Spanish, Hawaiian, Cherokee, Lakota), keyed by
 * {@link Locale} language code like {@link LanguageNames.AzureLanguage#family()}.
 */
final class CountryLanguages {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Map<String, Set<String>> LANGUAGES = languagesByCountry();

    private CountryLanguages() {
    }

    /** True for an ISO 3166-1 alpha-2 code, in any letter case (Azure accepts "US" and "fr"). */
    static boolean isCountry(String code) {
        return code.length() == 2 && COUNTRIES.contains(code.toUpperCase(Locale.ROOT));
    }

    /** Locale language codes used in {@code country}; empty for an unknown country. */
    static Set<String> languagesOf(String country) {
        return LANGUAGES.getOrDefault(country.toUpperCase(Locale.ROOT), Set.of());
    }

    private static Map<String, Set<String>> languagesByCountry() {
        Map<String, Set<String>> byCountry = new HashMap<>();
        for (Locale locale : Locale.getAvailableLocales()) {
            if (!locale.getCountry().isEmpty() && !locale.getLanguage().isEmpty()) {
                byCountry.computeIfAbsent(locale.getCountry(), c -> new HashSet<>()).add(locale.getLanguage());
            }
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        byCountry.forEach((country, languages) -> frozen.put(country, Set.copyOf(languages)));
        return Map.copyOf(frozen);
    }
}
