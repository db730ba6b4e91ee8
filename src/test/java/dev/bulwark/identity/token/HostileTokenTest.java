package dev.bulwark.identity.token;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Signature;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens built to get in, each refused by {@link TokenService#verify} with its own reason. Crafted
 * tokens are signed with the service's real primary key unless the attack is about the key, so
 * that what refuses them is the check named in the test, not an incidental bad signature. The
 * first test proves the crafting itself yields acceptable tokens.
 */
class HostileTokenTest {
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

    /** Refused with exactly {@code reason}, which is short and contains nothing of the token. */
    private void assertRefused(String token, String account, String reason) {
        TokenVerdict v = f.verify(token, account);
        assertThat(v).isEqualTo(new TokenVerdict.Invalid(reason));
        assertThat(reason.length()).isLessThan(80);
        if (token != null) {
            for (String part : token.split("\\.")) {
                if (part.length() >= 8) {
                    assertThat(reason).doesNotContain(part.substring(0, 8));
                }
            }
        }
    }

    private Map<String, Object> header(Object... kv) {
        Map<String, Object> h = f.header();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                h.remove((String) kv[i]);
            } else {
                h.put((String) kv[i], kv[i + 1]);
            }
        }
        return h;
    }

    private Map<String, Object> claims(Object... kv) {
        Map<String, Object> c = f.accountClaims("contoso", KeyName.KEY1);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                c.remove((String) kv[i]);
            } else {
                c.put((String) kv[i], kv[i + 1]);
            }
        }
        return c;
    }

    private String signed(Object... headerKv) {
        return f.craft(header(headerKv), claims());
    }

    private String withClaims(Object... claimKv) {
        return f.craft(f.header(), claims(claimKv));
    }

    private static ECKey attackerKey(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    private static String headerAndPayload(String token) {
        return token.substring(0, token.lastIndexOf('.'));
    }

    // ---------------------------------------------------------------- the control

    @Test
    void craftedTokenWithBulwarksOwnHeaderAndClaimsIsAccepted() {
        assertThat(f.verify(f.craft(f.header(), claims()), "contoso"))
                .isEqualTo(new TokenVerdict.Valid(new Principal.AccountKey("contoso", KeyName.KEY1), TokenFixture.START.plus(TokenService.LIFETIME)));
        assertThat(f.verify(f.craft(header("typ", null), claims()), "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(f.craft(f.header(), claims("aud", List.of("/accounts/contoso", "https://cognitiveservices.azure.com"))), "contoso"))
                .isInstanceOf(TokenVerdict.Valid.class);
    }

    // ---------------------------------------------------------------- algorithm

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE", "noNE", " none"})
    void algNoneInAnyCasingIsRefused(String alg) {
        String unsigned = TokenFixture.b64(TokenFixture.json(header("alg", alg))) + "." + TokenFixture.b64(TokenFixture.json(claims())) + ".";
        assertRefused(unsigned, "contoso", Reason.ALG_NONE);
    }

    @Test
    void algNoneCarryingAValidSignatureIsStillRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        String forged = TokenFixture.b64(TokenFixture.json(header("alg", "none"))) + "." + real.split("\\.")[1] + "." + real.split("\\.")[2];
        assertRefused(forged, "contoso", Reason.ALG_NONE);
    }

    @Test
    void strippedSignatureIsRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        assertRefused(headerAndPayload(real) + ".", "contoso", Reason.NO_SIGNATURE);
        assertRefused(headerAndPayload(real), "contoso", Reason.MALFORMED);
    }

    @Test
    void hs256SignedWithThePublicKeyAsTheSecretIsRefused() throws Exception {
        ECKey pub = (ECKey) JWKSet.parse(f.service.jwksJson()).getKeys().get(0);
        List<byte[]> secrets = List.of(pub.toJSONString().getBytes(StandardCharsets.UTF_8), pub.toECPublicKey().getEncoded(),
                f.service.jwksJson().getBytes(StandardCharsets.UTF_8));
        for (byte[] secret : secrets) {
            String input = TokenFixture.b64(TokenFixture.json(header("alg", "HS256"))) + "." + TokenFixture.b64(TokenFixture.json(claims()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = input + "." + TokenFixture.b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertRefused(token, "contoso", Reason.ALG_NOT_ALLOWED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "PS256", "ES384", "ES512", "ES256K", "EdDSA", "HS512", "es256", "ES256 ", "dir"})
    void everyAlgorithmButEs256IsRefused(String alg) {
        assertRefused(signed("alg", alg), "contoso", Reason.ALG_NOT_ALLOWED);
    }

    @Test
    void algThatIsNotAStringIsRefused() {
        assertRefused(signed("alg", List.of("ES256")), "contoso", Reason.MALFORMED_HEADER);
        assertRefused(signed("alg", null), "contoso", Reason.MALFORMED_HEADER);
    }

    // ---------------------------------------------------------------- headers that would widen trust

    @Test
    void embeddedJwkIsRefusedEvenWhenItsKeySignedTheToken() throws Exception {
        ECKey attacker = attackerKey(f.service.primaryKeyId());
        Map<String, Object> h = header("jwk", attacker.toPublicJWK().toJSONObject());
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(h), TokenFixture.json(claims()), attacker), "contoso", Reason.forbiddenHeader("jwk"));
    }

    @Test
    void jkuPointingElsewhereIsRefused() throws Exception {
        ECKey attacker = attackerKey("attacker");
        Map<String, Object> h = header("kid", "attacker", "jku", "https://attacker.example/jwks.json");
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(h), TokenFixture.json(claims()), attacker), "contoso", Reason.forbiddenHeader("jku"));
    }

    @Test
    void x5uPointingElsewhereIsRefused() {
        assertRefused(signed("x5u", "https://attacker.example/cert.pem"), "contoso", Reason.forbiddenHeader("x5u"));
    }

    @Test
    void x5cAndX5tAreRefused() {
        assertRefused(signed("x5c", List.of("MIIB")), "contoso", Reason.forbiddenHeader("x5c"));
        assertRefused(signed("x5t", "abc"), "contoso", Reason.forbiddenHeader("x5t"));
        assertRefused(signed("x5t#S256", "abc"), "contoso", Reason.forbiddenHeader("x5t#S256"));
    }

    @Test
    void critIsRefusedWhateverItNames() {
        assertRefused(signed("crit", List.of("exp")), "contoso", Reason.forbiddenHeader("crit"));
        assertRefused(signed("crit", List.of()), "contoso", Reason.forbiddenHeader("crit"));
    }

    @Test
    void unencodedPayloadAndCompressionAreRefused() {
        assertRefused(signed("b64", false, "crit", null), "contoso", Reason.forbiddenHeader("b64"));
        assertRefused(signed("zip", "DEF"), "contoso", Reason.forbiddenHeader("zip"));
    }

    @Test
    void anyOtherHeaderParameterIsRefusedWithoutEchoingItsName() {
        String token = signed("evil-parameter-name", "x");
        assertRefused(token, "contoso", Reason.UNEXPECTED_HEADER);
        assertThat(((TokenVerdict.Invalid) f.verify(token, "contoso")).reason()).doesNotContain("evil");
    }

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "jwt", "JWS", "JOSE+JSON", ""})
    void typOtherThanJwtIsRefused(String typ) {
        assertRefused(signed("typ", typ), "contoso", Reason.BAD_TYP);
    }

    // ---------------------------------------------------------------- kid

    @ParameterizedTest
    @ValueSource(strings = {"../../../../etc/passwd", "/etc/shadow", "file:///etc/passwd", "https://attacker.example/k",
            "x' OR '1'='1", "1; DROP TABLE signing_keys; --", "kid\u0000", "%2e%2e%2f"})
    void pathUrlOrSqlInKidIsRefusedBeforeAnyLookup(String kid) throws Exception {
        assertRefused(signed("kid", kid), "contoso", Reason.MALFORMED_KID);
        try (var c = f.db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM signing_keys")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void overlongOrNonStringKidIsRefused() {
        assertRefused(signed("kid", "A".repeat(TokenVerifier.MAX_KID + 1)), "contoso", Reason.MALFORMED_KID);
        assertRefused(signed("kid", 42), "contoso", Reason.MALFORMED_KID);
        assertRefused(signed("kid", ""), "contoso", Reason.MALFORMED_KID);
    }

    @Test
    void unknownKidIsRefused() {
        assertRefused(signed("kid", "n9_Zr3cY1wcHx3E0p6QvQO5cM6qXc5aYeyy0mKcNbWs"), "contoso", Reason.UNKNOWN_KID);
    }

    @Test
    void missingKidIsRefused() {
        assertRefused(signed("kid", null), "contoso", Reason.NO_KID);
    }

    // ---------------------------------------------------------------- signature

    @Test
    void allZeroEcdsaSignatureIsRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        assertRefused(headerAndPayload(real) + "." + TokenFixture.b64(new byte[64]), "contoso", Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureOfZeroRAndValidSIsRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        byte[] sig = java.util.Base64.getUrlDecoder().decode(real.split("\\.")[2]);
        java.util.Arrays.fill(sig, 0, 32, (byte) 0);
        assertRefused(headerAndPayload(real) + "." + TokenFixture.b64(sig), "contoso", Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureByAnUntrustedKeyUnderOurKidIsRefused() throws Exception {
        ECKey attacker = attackerKey(f.service.primaryKeyId());
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(f.header()), TokenFixture.json(claims()), attacker), "contoso", Reason.BAD_SIGNATURE);
    }

    @Test
    void derEncodedSignatureIsRefused() throws Exception {
        String input = TokenFixture.b64(TokenFixture.json(f.header())) + "." + TokenFixture.b64(TokenFixture.json(claims()));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(f.primaryPrivateKey().toECPrivateKey());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        assertRefused(input + "." + TokenFixture.b64(s.sign()), "contoso", Reason.BAD_SIGNATURE);
    }

    @Test
    void alteredClaimsUnderTheOriginalSignatureAreRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        String[] parts = real.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("contoso", "fabrikam");
        assertRefused(parts[0] + "." + TokenFixture.b64(payload) + "." + parts[2], "fabrikam", Reason.BAD_SIGNATURE);
    }

    @Test
    void signatureWithPaddingOrExtraCharactersIsRefused() {
        String real = f.accountToken("contoso", KeyName.KEY1);
        assertRefused(real + "=", "contoso", Reason.MALFORMED);
        assertRefused(real + "A", "contoso", Reason.BAD_SIGNATURE);
        assertRefused(real.substring(0, real.length() - 1), "contoso", Reason.BAD_SIGNATURE);
    }

    // ---------------------------------------------------------------- time

    @Test
    void expiredTokenIsRefused() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        assertRefused(token, "contoso", Reason.EXPIRED);
    }

    @Test
    void expiryLeewayBoundaryIsExact() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        f.clock.set(TokenFixture.START.plus(TokenService.LIFETIME).plus(TokenService.LEEWAY).minusMillis(1));
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.clock.advance(Duration.ofMillis(1));
        assertRefused(token, "contoso", Reason.EXPIRED);
    }

    @Test
    void nbfInTheFutureIsRefusedUntilWithinLeeway() {
        long now = f.clock.instant().getEpochSecond();
        String token = withClaims("nbf", now + 120, "iat", now);
        assertRefused(token, "contoso", Reason.NOT_YET_VALID);
        f.clock.set(TokenFixture.START.plusSeconds(120).minus(TokenService.LEEWAY).minusMillis(1));
        assertRefused(token, "contoso", Reason.NOT_YET_VALID);
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void iatInTheFutureIsRefused() {
        long now = f.clock.instant().getEpochSecond();
        assertRefused(withClaims("iat", now + 300), "contoso", Reason.ISSUED_IN_FUTURE);
    }

    @Test
    void missingExpNbfOrIatIsRefused() {
        assertRefused(withClaims("exp", null), "contoso", Reason.missingClaim("exp"));
        assertRefused(withClaims("nbf", null), "contoso", Reason.missingClaim("nbf"));
        assertRefused(withClaims("iat", null), "contoso", Reason.missingClaim("iat"));
    }

    @Test
    void nonNumericOrAbsurdTimesAreRefused() {
        long now = f.clock.instant().getEpochSecond();
        assertRefused(withClaims("exp", String.valueOf(now + 600)), "contoso", Reason.invalidClaim("exp"));
        assertRefused(withClaims("exp", now + 600.5), "contoso", Reason.invalidClaim("exp"));
        assertRefused(withClaims("exp", Long.MAX_VALUE), "contoso", Reason.invalidClaim("exp"));
        assertRefused(withClaims("iat", -1), "contoso", Reason.invalidClaim("iat"));
        assertRefused(withClaims("nbf", new java.math.BigInteger("1" + "0".repeat(40))), "contoso", Reason.invalidClaim("nbf"));
    }

    @Test
    void lifetimeLongerThanTenMinutesIsRefused() {
        long now = f.clock.instant().getEpochSecond();
        assertRefused(withClaims("exp", now + 86_400), "contoso", Reason.LIFETIME_TOO_LONG);
        assertRefused(withClaims("iat", now - 3600, "nbf", now - 3600), "contoso", Reason.LIFETIME_TOO_LONG);
    }

    @Test
    void signingKeyRotatedOutLongAgoIsRefusedEvenForAFreshToken() {
        ECKey old = f.primaryPrivateKey();
        f.service.rotateSigningKey();
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        // What someone holding the old private key could forge today: fresh times, old key.
        Map<String, Object> h = header("kid", old.getKeyID());
        String forged = TokenFixture.craftRaw(TokenFixture.json(h), TokenFixture.json(claims()), old);
        assertRefused(forged, "contoso", Reason.RETIRED_SIGNING_KEY);
        f.service.pruneRetiredKeys();
        assertRefused(forged, "contoso", Reason.UNKNOWN_KID);
    }

    // ---------------------------------------------------------------- issuer, audience, scope, claims

    @ParameterizedTest
    @ValueSource(strings = {"https://attacker.example/sts", "https://localhost:8443/sts/", "https://LOCALHOST:8443/sts", "https://localhost:8443"})
    void wrongIssuerIsRefused(String iss) {
        assertRefused(withClaims("iss", iss), "contoso", Reason.WRONG_ISSUER);
    }

    @Test
    void wrongAudienceIsRefused() {
        assertRefused(withClaims("aud", List.of("https://cognitiveservices.azure.com")), "contoso", Reason.WRONG_AUDIENCE);
        assertRefused(withClaims("aud", List.of("https://attacker.example", "/accounts/contoso")), "contoso", Reason.WRONG_AUDIENCE);
        assertRefused(withClaims("aud", "https://cognitiveservices.azure.com"), "contoso", Reason.WRONG_AUDIENCE);
    }

    @Test
    void malformedAudienceIsRefused() {
        assertRefused(withClaims("aud", List.of()), "contoso", Reason.invalidClaim("aud"));
        assertRefused(withClaims("aud", List.of(1, 2)), "contoso", Reason.invalidClaim("aud"));
        assertRefused(withClaims("aud", Map.of("a", "b")), "contoso", Reason.invalidClaim("aud"));
        assertRefused(withClaims("aud", java.util.Collections.nCopies(9, "/accounts/contoso")), "contoso", Reason.invalidClaim("aud"));
    }

    @Test
    void wrongScopeIsRefused() {
        assertRefused(withClaims("scope", "https://management.azure.com/.default"), "contoso", Reason.WRONG_SCOPE);
    }

    @Test
    void tokenOfAnotherAccountIsRefused() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertRefused(token, "fabrikam", Reason.OTHER_ACCOUNT);
        assertRefused(token, "contoso2", Reason.OTHER_ACCOUNT);
        assertRefused(token, "CONTOSO", Reason.OTHER_ACCOUNT);
    }

    @Test
    void accountClaimsThatDisagreeAreRefused() {
        assertRefused(withClaims("sub", "key:fabrikam/Key1"), "contoso", Reason.INCONSISTENT_CLAIMS);
        assertRefused(withClaims("sub", "key:contoso/Key3"), "contoso", Reason.INCONSISTENT_CLAIMS);
        assertRefused(withClaims("sub", "key:contoso/key1"), "contoso", Reason.INCONSISTENT_CLAIMS);
        assertRefused(withClaims("azure-resource-id", "/accounts/../admin"), "contoso", Reason.invalidClaim("azure-resource-id"));
        assertRefused(withClaims("azure-resource-id", "/subscriptions/x/accounts/contoso"), "contoso", Reason.invalidClaim("azure-resource-id"));
    }

    @Test
    void malformedKeyIdClaimIsRefused() {
        assertRefused(withClaims("bulwark-key-id", "../../x"), "contoso", Reason.invalidClaim("bulwark-key-id"));
        assertRefused(withClaims("bulwark-key-id", 7), "contoso", Reason.invalidClaim("bulwark-key-id"));
    }

    @Test
    void tokenMintedByASinceRegeneratedKeyIsRefused() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.regenerate("contoso", KeyName.KEY2);
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.regenerate("contoso", KeyName.KEY1);
        assertRefused(token, "contoso", Reason.KEY_REGENERATED);
    }

    @Test
    void claimsOutsideTheKindsSetAreRefused() {
        assertRefused(withClaims("roles", List.of("Owner")), "contoso", Reason.UNEXPECTED_CLAIM);
        assertRefused(withClaims("admin", true), "contoso", Reason.UNEXPECTED_CLAIM);
        assertRefused(withClaims("name", "x"), "contoso", Reason.claimNotAllowed("name", TokenKind.ACCOUNT_KEY));
    }

    @Test
    void unknownOrMissingTokenTypeIsRefused() {
        assertRefused(withClaims("bulwark-token-type", "admin"), "contoso", Reason.UNKNOWN_TYPE);
        assertRefused(withClaims("bulwark-token-type", "ACCOUNT-KEY"), "contoso", Reason.UNKNOWN_TYPE);
        assertRefused(withClaims("bulwark-token-type", null), "contoso", Reason.missingClaim("bulwark-token-type"));
    }

    @Test
    void stringClaimsWithControlCharactersOrNonStringsAreRefused() {
        assertRefused(withClaims("region", "west\u0000europe"), "contoso", Reason.invalidClaim("region"));
        assertRefused(withClaims("jti", 5), "contoso", Reason.invalidClaim("jti"));
        assertRefused(withClaims("iss", List.of(TokenFixture.ISSUER)), "contoso", Reason.invalidClaim("iss"));
    }

    // ---------------------------------------------------------------- the two kinds

    @Test
    void workloadTokenCarryingAnAccountKeysClaimsIsRefused() {
        Map<String, Object> c = f.workloadClaims("wl-1", "app", TokenService.COGNITIVE_SERVICES_AUDIENCE);
        c.put("bulwark-key-id", f.currentKeyId("contoso", KeyName.KEY1));
        assertRefused(f.craft(f.header(), c), "contoso", Reason.claimNotAllowed("bulwark-key-id", TokenKind.WORKLOAD));
    }

    @Test
    void accountKeyTokenRelabelledAsWorkloadIsRefused() {
        assertRefused(withClaims("bulwark-token-type", "workload"), "contoso", Reason.claimNotAllowed("azure-resource-id", TokenKind.WORKLOAD));
        String real = f.accountToken("contoso", KeyName.KEY1);
        String[] parts = real.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"account-key\"", "\"workload\"");
        assertRefused(parts[0] + "." + TokenFixture.b64(payload) + "." + parts[2], "contoso", Reason.BAD_SIGNATURE);
    }

    @Test
    void workloadTokenLackingItsNameIsRefused() {
        Map<String, Object> c = f.workloadClaims("wl-1", "app", TokenService.COGNITIVE_SERVICES_AUDIENCE);
        c.remove("name");
        assertRefused(f.craft(f.header(), c), "contoso", Reason.missingClaim("name"));
    }

    @Test
    void workloadTokenNamedLikeAnAccountKeyIsStillOnlyAWorkload() {
        String token = f.service.issueForWorkload("key:contoso/Key1", "key:contoso/Key1", TokenService.COGNITIVE_SERVICES_AUDIENCE);
        TokenVerdict v = f.verify(token, "contoso");
        assertThat(v).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(((TokenVerdict.Valid) v).principal()).isEqualTo(new Principal.Workload("key:contoso/Key1", "key:contoso/Key1"));
    }

    @Test
    void accountKeyTokenIsRefusedOnTheManagementPlane() {
        assertRefused(f.accountToken("contoso", KeyName.KEY1), null, Reason.ACCOUNT_TOKEN_OFF_ACCOUNT);
    }

    @Test
    void dataPlaneWorkloadTokenIsRefusedOnTheManagementPlane() {
        assertRefused(f.service.issueForWorkload("wl-1", "app", TokenService.COGNITIVE_SERVICES_AUDIENCE), null, Reason.WRONG_AUDIENCE);
        assertRefused(f.service.issueForWorkload("wl-1", "app", "/accounts/contoso"), null, Reason.WRONG_AUDIENCE);
    }

    @Test
    void workloadTokenForAnUnrelatedAudienceIsRefusedEverywhere() {
        String token = f.service.issueForWorkload("wl-1", "app", "https://vault.azure.net");
        assertRefused(token, "contoso", Reason.WRONG_AUDIENCE);
        assertRefused(token, null, Reason.WRONG_AUDIENCE);
    }

    // ---------------------------------------------------------------- shape and encoding

    @Test
    void oversizedTokenIsRefusedBeforeParsing() {
        assertRefused("A".repeat(TokenService.MAX_TOKEN_CHARS + 1), "contoso", Reason.TOO_LARGE);
        String big = f.craft(f.header(), claims("jti", "j".repeat(7000)));
        assertThat(big.length()).isGreaterThan(TokenService.MAX_TOKEN_CHARS);
        assertRefused(big, "contoso", Reason.TOO_LARGE);
        assertThat(f.verify("A".repeat(TokenService.MAX_TOKEN_CHARS), "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.MALFORMED));
    }

    @Test
    void garbageIsRefused() {
        assertRefused(null, "contoso", Reason.NO_TOKEN);
        assertRefused("", "contoso", Reason.NO_TOKEN);
        assertRefused("not a token", "contoso", Reason.MALFORMED);
        assertRefused("Bearer " + f.accountToken("contoso", KeyName.KEY1), "contoso", Reason.MALFORMED);
        assertRefused(f.accountToken("contoso", KeyName.KEY1) + " ", "contoso", Reason.MALFORMED);
        assertRefused("bwk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG012345", "contoso", Reason.MALFORMED);
        assertRefused("éé.éé.éé", "contoso", Reason.MALFORMED);
        assertRefused("..", "contoso", Reason.MALFORMED);
        assertRefused("a.b.c.d", "contoso", Reason.MALFORMED);
    }

    @Test
    void base64JunkIsRefused() {
        assertRefused("a.b.c", "contoso", Reason.MALFORMED_HEADER);
        assertRefused(TokenFixture.b64("hello") + "." + TokenFixture.b64("world") + "." + TokenFixture.b64("sig"), "contoso", Reason.MALFORMED_HEADER);
        assertRefused(TokenFixture.b64("[\"ES256\"]") + ".e30." + TokenFixture.b64(new byte[64]), "contoso", Reason.MALFORMED_HEADER);
        assertRefused(TokenFixture.b64("{\"alg\":\"ES256\"} trailing") + ".e30.x", "contoso", Reason.MALFORMED_HEADER);
        assertRefused(TokenFixture.b64("{/*c*/\"alg\":\"ES256\"}") + ".e30.x", "contoso", Reason.MALFORMED_HEADER);
        assertRefused(TokenFixture.b64(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}) + ".e30.x", "contoso", Reason.MALFORMED_HEADER);
    }

    @Test
    void deeplyNestedHeaderIsRefused() {
        String nested = "{\"alg\":\"ES256\",\"x\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
        assertRefused(TokenFixture.b64(nested) + ".e30." + TokenFixture.b64(new byte[64]), "contoso", Reason.MALFORMED_HEADER);
    }

    @Test
    void claimsThatAreNotAJsonObjectAreRefused() {
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(f.header()), "[1,2]", f.primaryPrivateKey()), "contoso", Reason.MALFORMED_CLAIMS);
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(f.header()), "{\"iss\":", f.primaryPrivateKey()), "contoso", Reason.MALFORMED_CLAIMS);
        assertRefused(TokenFixture.craftRaw(TokenFixture.json(f.header()), "", f.primaryPrivateKey()), "contoso", Reason.MALFORMED_CLAIMS);
    }

    @Test
    void jweInsteadOfAJwsIsRefused() throws Exception {
        ECKey pub = (ECKey) JWKSet.parse(f.service.jwksJson()).getKeys().get(0);
        JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM).keyID(pub.getKeyID()).build(),
                new Payload(TokenFixture.json(claims())));
        jwe.encrypt(new ECDHEncrypter(pub));
        assertRefused(jwe.serialize(), "contoso", Reason.ENCRYPTED);
    }

    @Test
    void duplicateHeaderParametersAreRefused() {
        String kid = f.service.primaryKeyId();
        ECKey key = f.primaryPrivateKey();
        String claims = TokenFixture.json(claims());
        assertRefused(TokenFixture.craftRaw("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\",\"alg\":\"none\"}", claims, key), "contoso", Reason.DUPLICATE_HEADER);
        assertRefused(TokenFixture.craftRaw("{\"alg\":\"ES256\",\"kid\":\"unknown\",\"kid\":\"" + kid + "\"}", claims, key), "contoso", Reason.DUPLICATE_HEADER);
    }

    @Test
    void duplicateClaimsAreRefusedEvenUnderAGoodSignature() {
        String header = TokenFixture.json(f.header());
        ECKey key = f.primaryPrivateKey();
        String good = TokenFixture.json(claims());
        String twoResources = good.substring(0, good.length() - 1) + ",\"azure-resource-id\":\"/accounts/fabrikam\"}";
        String twoSubjects = good.substring(0, good.length() - 1) + ",\"sub\":\"key:contoso/Key2\"}";
        assertRefused(TokenFixture.craftRaw(header, twoResources, key), "fabrikam", Reason.DUPLICATE_CLAIM);
        assertRefused(TokenFixture.craftRaw(header, twoSubjects, key), "contoso", Reason.DUPLICATE_CLAIM);
    }

    // ---------------------------------------------------------------- the caller's side

    @Test
    void noKeyGenerationsMeansNoAccountKeyToken() {
        assertThat(f.service.verify(f.accountToken("contoso", KeyName.KEY1), "contoso", null))
                .isEqualTo(new TokenVerdict.Invalid(Reason.NO_KEY_GENERATIONS));
    }

    @Test
    void aFailingKeyLookupRefusesInsteadOfThrowing() {
        KeyGenerations broken = (a, s, k) -> {
            throw new IllegalStateException("snapshot unavailable");
        };
        assertThat(f.service.verify(f.accountToken("contoso", KeyName.KEY1), "contoso", broken))
                .isEqualTo(new TokenVerdict.Invalid(Reason.VERIFICATION_FAILED));
    }
}
