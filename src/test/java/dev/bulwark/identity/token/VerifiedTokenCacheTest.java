package dev.bulwark.identity.token;

import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The verified-token cache saves the signature check and nothing else. */
class VerifiedTokenCacheTest {
    @TempDir
    Path dir;
    TokenFixture f;

    @BeforeEach
    void setUp() {
        f = new TokenFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static TokenVerdict.Invalid refused(String reason) {
        return new TokenVerdict.Invalid(reason);
    }

    @Test
    void aRepeatCheckSkipsTheSignature() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        for (int i = 0; i < 5; i++) {
            assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        }
        assertThat(f.service.fullVerifications()).isEqualTo(1);
        assertThat(f.service.cacheHits()).isEqualTo(4);
    }

    @Test
    void aCachedTokenStillExpires() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.EXPIRED));
        assertThat(f.service.cacheHits()).isEqualTo(1);
    }

    @Test
    void aCachedTokenIsStillBoundToItsAccount() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(token, "fabrikam")).isEqualTo(refused(Reason.OTHER_ACCOUNT));
        assertThat(f.verify(token, null)).isEqualTo(refused(Reason.ACCOUNT_TOKEN_OFF_ACCOUNT));
        assertThat(f.service.fullVerifications()).isEqualTo(1);
    }

    @Test
    void aCachedTokenIsRevokedByRegeneratingItsKey() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.regenerate("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.KEY_REGENERATED));
        assertThat(f.service.cacheHits()).isEqualTo(1);
    }

    @Test
    void aCachedWorkloadTokenStillHasItsAudienceChecked() {
        String token = f.service.issueForWorkload("wl-1", "app", "/accounts/contoso");
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(token, "fabrikam")).isEqualTo(refused(Reason.WRONG_AUDIENCE));
        assertThat(f.verify(token, null)).isEqualTo(refused(Reason.WRONG_AUDIENCE));
        assertThat(f.service.fullVerifications()).isEqualTo(1);
    }

    @Test
    void aCachedTokenIsRefusedOnceItsSigningKeyIsNoLongerTrusted() {
        f.clock.advance(java.time.Duration.ofMinutes(9));
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.service.rotateSigningKey();
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        f.service.pruneRetiredKeys();
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.UNKNOWN_KID));
        assertThat(f.service.fullVerifications()).isEqualTo(1);
    }

    @Test
    void aCachedTokenInItsNbfWindowIsRefusedUntilTheWindowOpens() {
        long now = f.clock.instant().getEpochSecond();
        var c = f.accountClaims("contoso", KeyName.KEY1);
        c.put("nbf", now + 300);
        String token = f.craft(f.header(), c);
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.NOT_YET_VALID));
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.NOT_YET_VALID));
        f.clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.service.fullVerifications()).isEqualTo(1);
    }

    @Test
    void anInvalidTokenIsNeverCached() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        String forged = real.substring(0, real.lastIndexOf('.') + 1) + TokenFixture.b64(new byte[64]);
        assertThat(f.verify(forged, "contoso")).isEqualTo(refused(Reason.BAD_SIGNATURE));
        assertThat(f.verify(forged, "contoso")).isEqualTo(refused(Reason.BAD_SIGNATURE));
        assertThat(f.service.fullVerifications()).isEqualTo(2);
        assertThat(f.service.cacheHits()).isZero();
    }

    @Test
    void aCachedGoodTokenDoesNotVouchForTheSameClaimsUnderAnotherSignature() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(real, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        String samePrefix = real.substring(0, real.lastIndexOf('.') + 1) + TokenFixture.b64(new byte[64]);
        assertThat(f.verify(samePrefix, "contoso")).isEqualTo(refused(Reason.BAD_SIGNATURE));
        assertThat(f.verify(real + "A", "contoso")).isEqualTo(refused(Reason.BAD_SIGNATURE));
        assertThat(f.verify(real.substring(0, real.length() - 2), "contoso")).isEqualTo(refused(Reason.BAD_SIGNATURE));
        // and the good token is unharmed
        assertThat(f.verify(real, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.service.cacheHits()).isEqualTo(1);
    }

    @Test
    void aTokenRefusedForThisRequestDoesNotSpoilItForTheRightOne() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "fabrikam")).isEqualTo(refused(Reason.OTHER_ACCOUNT));
        assertThat(f.verify(token, "contoso")).isEqualTo(new TokenVerdict.Valid(new Principal.AccountKey("contoso", KeyName.KEY1),
                TokenFixture.START.plus(TokenService.LIFETIME)));
    }

    @Test
    void collidingTokensReplaceEachOtherAndAreVerifiedAgain(@TempDir Path other) {
        try (TokenFixture one = new TokenFixture(other, new TokenService.Options(Set.of(TokenService.COGNITIVE_SERVICES_AUDIENCE), Set.of(TokenService.MANAGEMENT_AUDIENCE), 1))) {
            String a = one.accountToken("contoso", KeyName.KEY1);
            String b = one.accountToken("fabrikam", KeyName.KEY2);
            for (int i = 0; i < 3; i++) {
                assertThat(one.verify(a, "contoso")).isEqualTo(new TokenVerdict.Valid(new Principal.AccountKey("contoso", KeyName.KEY1), TokenFixture.START.plus(TokenService.LIFETIME)));
                assertThat(one.verify(b, "fabrikam")).isEqualTo(new TokenVerdict.Valid(new Principal.AccountKey("fabrikam", KeyName.KEY2), TokenFixture.START.plus(TokenService.LIFETIME)));
            }
            assertThat(one.service.fullVerifications()).isEqualTo(6);
        }
    }

    @Test
    void withoutACacheEveryCheckVerifiesTheSignature(@TempDir Path other) {
        try (TokenFixture none = new TokenFixture(other, new TokenService.Options(Set.of(TokenService.COGNITIVE_SERVICES_AUDIENCE), Set.of(TokenService.MANAGEMENT_AUDIENCE), 0))) {
            String token = none.accountToken("contoso", KeyName.KEY1);
            for (int i = 0; i < 3; i++) {
                assertThat(none.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
            }
            assertThat(none.service.fullVerifications()).isEqualTo(3);
            assertThat(none.service.cacheHits()).isZero();
        }
    }

    @Test
    void anExpiredTokenIsNotCached() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.EXPIRED));
        assertThat(f.verify(token, "contoso")).isEqualTo(refused(Reason.EXPIRED));
        assertThat(f.service.fullVerifications()).isEqualTo(2);
    }

    @Test
    void aCachedTokenWithOneCharacterSwappedForANonAsciiTwinMisses() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(real, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        int i = real.indexOf('.') + 5;
        char c = real.charAt(i);
        // Same low byte as the original (a truncating byte conversion would make them equal), a lone
        // surrogate (which UTF-8 encoding turns into '?'), and a full-width twin.
        for (char twin : new char[] {(char) (0x100 | c), '\uD800', (char) (0xFF00 + c - 0x20)}) {
            String t = real.substring(0, i) + twin + real.substring(i + 1);
            assertThat(f.verify(t, "contoso")).isEqualTo(refused(Reason.MALFORMED));
        }
        assertThat(f.service.cacheHits()).isZero();
    }
}
