package dev.bulwark.identity.rbac;

import dev.bulwark.account.AccountName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/accounts/alpha", "/accounts/a1", "/accounts/alpha/deployments/gpt-4o",
            "/accounts/alpha/deployments/My_Model.v2~1", "/accounts/x-y-z/a/b/c/d"})
    void validScopes(String s) {
        assertThat(Scope.isValid(s)).isTrue();
        assertThat(Scope.validate(s)).isEqualTo(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "//", "accounts/alpha", "/accounts", "/accounts/", "/accounts/alpha/", "/accounts//alpha",
            "/accounts/alpha//x", "/accounts/alpha/.", "/accounts/alpha/..", "/accounts/alpha/../beta", "/accounts/./alpha",
            "/accounts/Alpha", "/accounts/a", "/accounts/-alpha", "/accounts/alpha-", "/Accounts/alpha", "/vaults/alpha",
            "/accounts/alpha/x y", "/accounts/alpha/x%2F", "/accounts/alpha/x\\y", "/accounts/alpha/\u00e9", "/accounts/alpha\n",
            "/accounts/alpha/x?y", "/ ", "/vault/", "/vault//x", "/vault/secrets/..", "/vaultx", "/Vault"})
    void invalidScopesAreRefused(String s) {
        assertThat(Scope.isValid(s)).isFalse();
        assertThatThrownBy(() -> Scope.validate(s)).isInstanceOfSatisfying(RbacException.class,
                e -> assertThat(e.code()).isEqualTo("InvalidScope"));
    }

    @Test
    void nullAndOverlongScopesAreInvalid() {
        assertThat(Scope.isValid(null)).isFalse();
        String base = "/accounts/alpha/";
        assertThat(Scope.isValid(base + "x".repeat(Scope.MAX_LENGTH - base.length()))).isTrue();
        assertThat(Scope.isValid(base + "x".repeat(Scope.MAX_LENGTH - base.length() + 1))).isFalse();
    }

    @Test
    void accountSegmentFollowsTheAccountNameRule() {
        for (String name : List.of("ab", "a1", "a-b", "0abc", "x".repeat(63), "x".repeat(64), "ab-", "-ab", "aB", "a_b", "a.b")) {
            assertThat(Scope.isValid("/accounts/" + name)).as(name).isEqualTo(AccountName.isValid(name));
        }
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "/, /, true",
            "/, /accounts/alpha, true",
            "/, /accounts/alpha/deployments/d, true",
            "/accounts/alpha, /accounts/alpha, true",
            "/accounts/alpha, /accounts/alpha/deployments/d, true",
            "/accounts/alpha, /accounts/alphabet, false",
            "/accounts/alpha, /accounts/alphabet/deployments/d, false",
            "/accounts/alpha, /accounts/alph, false",
            "/accounts/alpha, /, false",
            "/accounts/alpha/deployments/d, /accounts/alpha, false",
            "/accounts/alpha/deployments/d, /accounts/alpha/deployments/d2, false",
            "/accounts/alpha/deployments/d, /accounts/alpha/deployments/d/x, true",
    })
    void coverageIsSegmentAware(String ancestor, String scope, boolean expected) {
        assertThat(Scope.covers(ancestor, scope)).isEqualTo(expected);
    }

    @Test
    void accountOfAScope() {
        assertThat(Scope.accountOf("/")).isNull();
        assertThat(Scope.accountOf("/accounts/alpha")).isEqualTo("alpha");
        assertThat(Scope.accountOf("/accounts/alpha/deployments/d")).isEqualTo("alpha");
        assertThat(Scope.ofAccount("alpha")).isEqualTo("/accounts/alpha");
    }

    @Test
    void ancestorsAreListedRootFirst() {
        assertThat(RbacStore.ancestors("/")).isEmpty();
        assertThat(RbacStore.ancestors("/accounts/alpha")).containsExactly("/");
        assertThat(RbacStore.ancestors("/accounts/alpha/deployments/d"))
                .containsExactly("/", "/accounts/alpha", "/accounts/alpha/deployments");
    }

    @Test
    void theVaultAndItsItemsAreScopesOfNoAccountAndCoverByWholeSegments() {
        for (String s : new String[] {"/vault", "/vault/secrets/api-key", "/vault/keys/cmk"}) {
            assertThat(Scope.isValid(s)).as(s).isTrue();
            assertThat(Scope.accountOf(s)).as(s).isNull();
        }
        assertThat(Scope.covers("/vault", "/vault/secrets/api-key")).isTrue();
        assertThat(Scope.covers("/vault/secrets/api", "/vault/secrets/api-key")).isFalse();
        assertThat(Scope.covers("/accounts/vault", "/vault")).isFalse();
    }
}
