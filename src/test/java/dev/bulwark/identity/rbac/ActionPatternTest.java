package dev.bulwark.identity.rbac;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionPatternTest {

    private static boolean matches(String pattern, String action) {
        return ActionPattern.compile(pattern).matches(action);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            // exact, ignoring case both ways
            "Microsoft.CognitiveServices/accounts/read, Microsoft.CognitiveServices/accounts/read, true",
            "Microsoft.CognitiveServices/accounts/listkeys/action, Microsoft.CognitiveServices/accounts/listKeys/action, true",
            "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/READ, microsoft.cognitiveservices/accounts/read, true",
            "Microsoft.CognitiveServices/accounts/read, Microsoft.CognitiveServices/accounts/reads, false",
            "Microsoft.CognitiveServices/accounts/read, Microsoft.CognitiveServices/accounts/rea, false",
            // a provider wildcard stops at its literal '/': a longer provider name is another provider
            "Microsoft.CognitiveServices/*, Microsoft.CognitiveServices/accounts/write, true",
            "Microsoft.CognitiveServices/*, Microsoft.CognitiveServicesX/accounts/write, false",
            "Microsoft.CognitiveServices/*, Microsoft.CognitiveService/accounts/write, false",
            "Microsoft.CognitiveServices/*, Xmicrosoft.CognitiveServices/accounts/write, false",
            // '*' spans '/', any number of segments
            "Microsoft.CognitiveServices/*, Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action, true",
            "*, Bulwark/audit/read, true",
            // a wildcard in the middle: *' absorbs segments but the literal tail must still match
            "*/read, Microsoft.CognitiveServices/accounts/read, true",
            "*/read, Microsoft.CognitiveServices/accounts/listKeys/action, false",
            "*/read, Microsoft.CognitiveServices/accounts/readiness, false",
            "Microsoft.CognitiveServices/*/read, Microsoft.CognitiveServices/accounts/OpenAI/models/read, true",
            "Microsoft.CognitiveServices/*/read, Microsoft.CognitiveServices/accounts/Language/analyze-text/action, false",
            "Microsoft.CognitiveServices/accounts/OpenAI/*/read, Microsoft.CognitiveServices/accounts/OpenAI/deployments/read, true",
            "Microsoft.CognitiveServices/accounts/OpenAI/*/read, Microsoft.CognitiveServices/accounts/Language/x/read, false",
            "Microsoft.Authorization/*/Write, Microsoft.Authorization/roleAssignments/write, true",
            "Microsoft.Authorization/*/Write, Microsoft.Authorization/roleAssignments/read, false",
            // several wildcards, and backtracking past a false start
            "a*b*c, axxbyyc, true",
            "a*b*c, axxbyyb, false",
            "*ab, aab, true",
            "*ab*ab, abab, true",
            "*ab*ab, abaab, true",
            "*ab*ab, abba, false",
            // the text before the first '*' and after the last may not overlap
            "ab*ba, aba, false",
            "ab*ba, abba, true",
            "a*a, a, false",
            "x*y*y, xy, false",
            "x*y*y, xyy, true",
            "a*b*c, acb, false",
            "*b*, b, true",
            // a trailing '*' may match nothing
            "Bulwark/*, Bulwark/, true",
            "Bulwark/*, Bulwark, false",
    })
    void matchesLikeAzure(String pattern, String action, boolean expected) {
        assertThat(matches(pattern, action)).isEqualTo(expected);
    }

    @Test
    void caseFoldingIsAsciiOnlySoLookAlikeLettersDoNotMatch() {
        // U+212A KELVIN SIGN lower-cases to 'k' in Unicode; an action name is ASCII, so it must not match.
        assertThat(matches("Microsoft.CognitiveServices/accounts/listKeys/action",
                "Microsoft.CognitiveServices/accounts/list\u212Aeys/action")).isFalse();
        // U+0130 (dotted capital I) likewise must not stand in for 'i'.
        assertThat(matches("Bulwark/identities/read", "Bulwark/\u0130dentities/read")).isFalse();
    }

    @Test
    void nullOrEmptyActionNeverMatchesEvenTheFullWildcard() {
        assertThat(matches("*", null)).isFalse();
        assertThat(matches("*", "")).isFalse();
        assertThat(matches("a*", "")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/Microsoft.CognitiveServices/accounts/read", "Microsoft.CognitiveServices/", "Microsoft//read",
            "Microsoft.CognitiveServices/accounts/read ", "Microsoft.CognitiveServices/accounts/re ad", "Bulwark/\u00e9/read",
            "Bulwark/audit/read\n", "Bulwark/audit/read?x", "Bulwark/audit/read#"})
    void malformedPatternsAreRefusedWithA400(String pattern) {
        assertThatThrownBy(() -> ActionPattern.compile(pattern)).isInstanceOfSatisfying(RbacException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("InvalidActionOrNotAction");
        });
    }

    @Test
    void overlongPatternIsRefused() {
        assertThatThrownBy(() -> ActionPattern.compile("a".repeat(ActionPattern.MAX_LENGTH + 1))).isInstanceOf(RbacException.class);
        assertThat(ActionPattern.compile("a".repeat(ActionPattern.MAX_LENGTH)).matches("A".repeat(ActionPattern.MAX_LENGTH))).isTrue();
    }

    @Test
    void manyWildcardsAgainstALongNearMissStaysFast() {
        ActionPattern p = ActionPattern.compile("*a*a*a*a*a*a*a*a*a*a*b");
        String action = "a".repeat(250);
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            assertThat(p.matches(action)).isFalse();
        }
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }
}
