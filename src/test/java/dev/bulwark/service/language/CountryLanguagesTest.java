package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CountryLanguagesTest {

    @ParameterizedTest
    @ValueSource(strings = {"US", "us", "Fr", "JP", "BR", "ZA"})
    void isoAlpha2CodesInAnyCaseAreCountries(String code) {
        assertThat(CountryLanguages.isCountry(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "XX", "USA", "U", "", "12", "invalidcountry"})
    void otherCodesAreNotCountries(String code) {
        assertThat(CountryLanguages.isCountry(code)).isFalse();
    }

    @Test
    void countryLanguagesComeFromItsLocales() {
        assertThat(CountryLanguages.languagesOf("US")).contains("en", "es");
        assertThat(CountryLanguages.languagesOf("ch")).contains("de", "fr", "it", "rm");
        assertThat(CountryLanguages.languagesOf("NO")).contains("nb", "nn");
    }
}
