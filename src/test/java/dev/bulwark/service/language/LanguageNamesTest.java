package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageNamesTest {

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            eng      | English             | en
            deu      | German              | de
            fra      | French              | fr
            ara      | Arabic              | ar
            heb      | Hebrew              | he
            ind      | Indonesian          | id
            yid      | Yiddish             | yi
            ben      | Bengali             | bn
            khm      | Central Khmer       | km
            nob      | Norwegian           | no
            nno      | Norwegian Nynorsk   | nn
            zho-simp | Chinese_Simplified  | zh_chs
            zho-trad | Chinese_Traditional | zh_cht
            ekk      | Estonian            | et
            lvs      | Latvian             | lv
            pes      | Persian             | fa
            hin-rom  | Hindi               | hi
            mya-zaw  | Burmese             | my
            ceb      | Cebuano             | ceb
            war      | Waray               | war
            gom      | Konkani             | gom
            kur      | Kurdish (Northern)  | kmr
            """)
    void outcomeMapsToAzuresNameAndCode(String outcome, String name, String iso6391Name) {
        LanguageNames.AzureLanguage language = LanguageNames.forOutcome(outcome);

        assertThat(language.name()).isEqualTo(name);
        assertThat(language.iso6391Name()).isEqualTo(iso6391Name);
    }

    @Test
    void languagesAzureDoesNotAnswerWithAreMarked() {
        assertThat(LanguageNames.forOutcome("eng").listedByAzure()).isTrue();
        assertThat(LanguageNames.forOutcome("war").listedByAzure()).isFalse();
        assertThat(LanguageNames.forOutcome("vol").listedByAzure()).isFalse();
    }

    @Test
    void variantsOfOneLanguageShareAFamily() {
        assertThat(LanguageNames.forOutcome("ekk").family()).isEqualTo(LanguageNames.forOutcome("est").family());
        assertThat(LanguageNames.forOutcome("hin-rom").family()).isEqualTo(LanguageNames.forOutcome("hin").family());
        assertThat(LanguageNames.forOutcome("cmn").family()).isEqualTo(LanguageNames.forOutcome("zho-trad").family());
        assertThat(LanguageNames.forOutcome("nob").family()).isNotEqualTo(LanguageNames.forOutcome("nno").family());
    }

    @Test
    void outcomeWithoutAnEnglishNameIsRefused() {
        assertThatThrownBy(() -> LanguageNames.forOutcome("qqq")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qqq");
    }

    @Test
    void everyOutcomeOfTheBundledModelHasAName() {
        // LanguageDetector maps every outcome while loading, and refuses to load otherwise.
        assertThat(LoadedModel.detector()).isNotNull();
    }
}
