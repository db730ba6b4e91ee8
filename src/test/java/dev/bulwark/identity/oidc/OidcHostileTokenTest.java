package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens built to get past the verifier, each of which must be refused (or, for another issuer's
 * token, handed on as {@code NotOurs}). The issuer is a local HTTPS stand-in with real RSA and EC keys.
 */
class OidcHostileTokenTest {
    private final OidcFixture f = new OidcFixture();
    private final TestIssuer idp = f.idp;

    @AfterEach
    void close() {
        f.close();
    }

    private static OidcVerdict.Invalid invalid(String reason) {
        return new OidcVerdict.Invalid(reason);
    }

    private String payload() {
        return idp.claims().build().toString();
    }

    private String signedWithRsa(String headerJson, String payloadJson) throws Exception {
        byte[] input = (TestIssuer.b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + TestIssuer.b64(payloadJson.getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(idp.rsaKey.toRSAPrivateKey());
        s.update(input);
        return TestIssuer.raw(headerJson, payloadJson, s.sign());
    }

    // ---- alg ----

    @ParameterizedTest
    @ValueSource(strings = {"none", "NONE", "None", "nOnE"})
    void algNoneInAnyCasingIsRefused(String alg) {
        String token = TestIssuer.raw("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}", payload(), null);
        assertThat(f.verify(token)).isIn(invalid("unsigned token (alg none)"), invalid("malformed token"));
        String withJunkSignature = TestIssuer.raw("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}", payload(), new byte[] {1, 2, 3});
        assertThat(f.verify(withJunkSignature)).isIn(invalid("algorithm not allowed for this issuer"), invalid("malformed token"));
    }

    @Test
    void algNoneWithoutSignatureIsNamedUnsigned() {
        String token = TestIssuer.raw("{\"alg\":\"none\"}", payload(), null);
        assertThat(f.verify(token)).isEqualTo(invalid("unsigned token (alg none)"));
    }

    @Test
    void strippedSignatureIsRefused() {
        String good = idp.rs256(idp.claims().build());
        String stripped = good.substring(0, good.lastIndexOf('.') + 1);
        assertThat(f.verify(stripped)).isEqualTo(invalid("malformed token"));
    }

    @Test
    void hs256SignedWithTheIssuersPublicKeyIsRefused() throws Exception {
        // The classic confusion attack: the public key, in every form an attacker might try, as an HMAC secret.
        List<byte[]> secrets = List.of(
                idp.rsaKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                idp.rsaKey.toRSAPublicKey().getEncoded(),
                ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(idp.rsaKey.toRSAPublicKey().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII),
                idp.rsaKey.getModulus().decode());
        for (String alg : List.of("HS256", "HS384", "HS512")) {
            for (byte[] secret : secrets) {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID("rsa-1").build(), idp.claims().build());
                jwt.sign(new MACSigner(secret));
                assertThat(f.verify(jwt.serialize())).isEqualTo(invalid("algorithm not allowed for this issuer"));
            }
        }
    }

    @Test
    void rs256IsRefusedWhenTheIssuerAllowsOnlyEs256() {
        try (OidcFixture esOnly = new OidcFixture(b -> b.algorithms(JWSAlgorithm.ES256))) {
            assertThat(esOnly.verify(esOnly.idp.rs256(esOnly.idp.claims().build())))
                    .isEqualTo(invalid("algorithm not allowed for this issuer"));
            assertThat(esOnly.verify(esOnly.idp.es256(esOnly.idp.claims().build()))).isInstanceOf(OidcVerdict.Valid.class);
        }
    }

    @Test
    void lowerCaseAlgNameIsNotTheAlgorithm() throws Exception {
        String token = signedWithRsa("{\"alg\":\"rs256\",\"kid\":\"rsa-1\"}", payload());
        assertThat(f.verify(token)).isEqualTo(invalid("algorithm not allowed for this issuer"));
    }

    @Test
    void anEs256HeaderNamingTheRsaKeyIsAWrongKeyType() {
        // Signed correctly with the EC key, but points at the RSA key's kid: the RSA key must never verify ES256.
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(), idp.claims().build(), idp.ecKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key does not fit the algorithm"));
    }

    @Test
    void anRs256HeaderNamingTheEcKeyIsAWrongKeyType() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(), idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key does not fit the algorithm"));
    }

    @Test
    void ps256WithAKeyPublishedForRs256IsRefused() {
        // The JWK says alg RS256; the same RSA key must not be used with another algorithm.
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key does not fit the algorithm"));
    }

    // ---- headers that carry or point at keys ----

    @Test
    void anEmbeddedJwkIsNeverUsed() {
        RSAKey attacker = TestIssuer.rsa("rsa-1");
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(attacker.toPublicJWK()).build(),
                idp.claims().build(), attacker);
        assertThat(f.verify(token)).isEqualTo(invalid("key-bearing header (jwk, jku, x5u, x5c) not accepted"));
    }

    @Test
    void anEmbeddedJwkIsRefusedEvenWhenTheSignatureIsTheIssuers() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(idp.rsaKey.toPublicJWK()).build(),
                idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key-bearing header (jwk, jku, x5u, x5c) not accepted"));
    }

    @Test
    void jkuPointingElsewhereIsRefusedAndNeverFetched() {
        int before = idp.jwksHits.get();
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .jwkURL(URI.create(idp.base() + TestIssuer.JWKS_PATH + "?attacker")).build(), idp.claims().build(), TestIssuer.rsa("rsa-1"));
        assertThat(f.verify(token)).isEqualTo(invalid("key-bearing header (jwk, jku, x5u, x5c) not accepted"));
        assertThat(idp.jwksHits.get()).isEqualTo(before);
    }

    @Test
    void x5uIsRefused() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .x509CertURL(URI.create("https://attacker.example/cert.pem")).build(), idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key-bearing header (jwk, jku, x5u, x5c) not accepted"));
    }

    @Test
    void x5cIsRefused() throws Exception {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1")
                .x509CertChain(List.of(Base64.encode(idp.tls.certificate().getEncoded()))).build(), idp.claims().build(), idp.ecKey);
        assertThat(f.verify(token)).isEqualTo(invalid("key-bearing header (jwk, jku, x5u, x5c) not accepted"));
    }

    @Test
    void critIsRefused() throws Exception {
        String token = signedWithRsa("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", payload());
        assertThat(f.verify(token)).isEqualTo(invalid("crit header not accepted"));
    }

    @Test
    void unencodedPayloadIsRefused() throws Exception {
        String token = signedWithRsa("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"b64\":false,\"crit\":[\"b64\"]}", payload());
        assertThat(f.verify(token)).isEqualTo(invalid("crit header not accepted"));
    }

    // ---- kid ----

    @Test
    void missingKidIsRefused() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("missing kid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../../../dev/null", "/etc/passwd", "rsa-1' OR '1'='1", "rsa-1; DROP TABLE keys;--",
            "rsa-1\u0000", "rsa 1", "%2e%2e%2fetc", ""})
    void kidWithAPathOrSqlIsRefusedWithoutFetching(String kid) {
        int before = idp.jwksHits.get();
        f.clock.advance(Duration.ofMinutes(1)); // a refresh would be allowed: none must be started
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), idp.claims().build(), idp.rsaKey);
        assertThat(f.verify(token)).isEqualTo(invalid("malformed kid"));
        assertThat(f.keys.latestRefresh(idp.issuer()).orElseThrow()).isDone();
        assertThat(idp.jwksHits.get()).isEqualTo(before);
    }

    @Test
    void unknownKidIsRefusedAndRefreshesAtMostOncePer30Seconds() throws Exception {
        RSAKey rotated = TestIssuer.rsa("rsa-2");
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(), idp.claims().build(), rotated);
        int hits = idp.jwksHits.get();

        // Right after the startup fetch: refused, and the rate limit holds back any refresh.
        for (int i = 0; i < 50; i++) {
            assertThat(f.verify(token)).isEqualTo(invalid("unknown kid"));
        }
        assertThat(idp.jwksHits.get()).isEqualTo(hits);

        // The issuer rotates; 30 s after the last fetch, one unknown-kid token triggers one refresh.
        idp.publish(idp.rsaKey, idp.ecKey, rotated);
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(f.verify(token)).isEqualTo(invalid("unknown kid"));
        for (int i = 0; i < 50; i++) {
            // While the refresh runs the answer is still "unknown kid"; once it lands, Valid. Never a second fetch.
            OidcVerdict v = f.verify(token);
            assertThat(v instanceof OidcVerdict.Valid || v.equals(invalid("unknown kid"))).as(v.toString()).isTrue();
        }
        f.keys.latestRefresh(idp.issuer()).orElseThrow().get(10, TimeUnit.SECONDS);
        assertThat(idp.jwksHits.get()).isEqualTo(hits + 1);

        // The next attempt passes.
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void aFloodOfForgedKidsCostsTheIssuerOneFetchPer30Seconds() throws Exception {
        int hits = idp.jwksHits.get();
        for (int round = 0; round < 4; round++) {
            f.clock.advance(Duration.ofSeconds(10));
            for (int i = 0; i < 20; i++) {
                String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("forged-" + round + "-" + i).build(),
                        idp.claims().build(), idp.rsaKey);
                assertThat(f.verify(token)).isEqualTo(invalid("unknown kid"));
            }
            f.keys.latestRefresh(idp.issuer()).orElseThrow().get(10, TimeUnit.SECONDS);
        }
        // 40 s of flooding after the startup fetch: exactly one refresh (at +30 s).
        assertThat(idp.jwksHits.get()).isEqualTo(hits + 1);
    }

    // ---- signatures ----

    @Test
    void aSignatureByAnUntrustedKeyWithAKnownKidIsRefused() {
        RSAKey attacker = TestIssuer.rsa("rsa-1");
        assertThat(f.verify(TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), idp.claims().build(), attacker)))
                .isEqualTo(invalid("bad signature"));
        ECKey attackerEc = TestIssuer.ec("ec-1");
        assertThat(f.verify(TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), idp.claims().build(), attackerEc)))
                .isEqualTo(invalid("bad signature"));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String good = idp.rs256(idp.claims().build());
        String[] parts = good.split("\\.");
        String payload = idp.claims().subject("admin").build().toString();
        assertThat(f.verify(parts[0] + "." + TestIssuer.b64(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]))
                .isEqualTo(invalid("bad signature"));
    }

    @Test
    void anAllZeroEs256SignatureIsRefused() {
        // CVE-2022-21449 ("psychic signatures"): r = s = 0 must never verify.
        String token = TestIssuer.raw("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", payload(), new byte[64]);
        assertThat(f.verify(token)).isEqualTo(invalid("bad signature"));
    }

    @Test
    void anEs256SignatureInDerFormIsRefused() throws Exception {
        String headerJson = "{\"alg\":\"ES256\",\"kid\":\"ec-1\"}";
        String payloadJson = payload();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(idp.ecKey.toECPrivateKey());
        s.update((TestIssuer.b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + TestIssuer.b64(payloadJson.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(f.verify(TestIssuer.raw(headerJson, payloadJson, s.sign()))).isEqualTo(invalid("bad signature"));
    }

    // ---- claims ----

    @Test
    void expiredIsRefused() {
        String token = idp.rs256(idp.claims().expirationTime(Date.from(f.clock.instant().minusSeconds(61))).build());
        assertThat(f.verify(token)).isEqualTo(invalid("expired"));
    }

    @Test
    void missingExpIsRefused() {
        String token = idp.rs256(idp.claims().expirationTime(null).build());
        assertThat(f.verify(token)).isEqualTo(invalid("missing exp"));
    }

    @Test
    void nbfInTheFutureIsRefused() {
        String token = idp.rs256(idp.claims().notBeforeTime(Date.from(f.clock.instant().plusSeconds(120))).build());
        assertThat(f.verify(token)).isEqualTo(invalid("not yet valid (nbf)"));
    }

    @Test
    void iatInTheFutureIsRefused() {
        String token = idp.rs256(idp.claims().issueTime(Date.from(f.clock.instant().plusSeconds(3600))).build());
        assertThat(f.verify(token)).isEqualTo(invalid("issued in the future (iat)"));
    }

    @Test
    void wrongOrMissingAudienceIsRefused() {
        assertThat(f.verify(idp.rs256(idp.claims().audience("https://graph.microsoft.com").build()))).isEqualTo(invalid("audience not accepted"));
        assertThat(f.verify(idp.rs256(idp.claims().audience((String) null).build()))).isEqualTo(invalid("audience not accepted"));
        assertThat(f.verify(idp.rs256(idp.claims().audience(TestIssuer.AUDIENCE + "/").build()))).isEqualTo(invalid("audience not accepted"));
    }

    @Test
    void aTokenOfAnUntrustedIssuerIsNotOurs() {
        assertThat(f.verify(idp.rs256(idp.claims().issuer("https://evil.example/realms/test").build()))).isInstanceOf(OidcVerdict.NotOurs.class);
    }

    @Test
    void anIssuerThatOnlyLooksLikeTheTrustedOneIsNotOurs() {
        for (String iss : List.of(idp.issuer() + "/", idp.issuer().toUpperCase(), idp.issuer() + "/../test", " " + idp.issuer())) {
            assertThat(f.verify(idp.rs256(idp.claims().issuer(iss).build()))).as(iss).isInstanceOf(OidcVerdict.NotOurs.class);
        }
        assertThat(f.verify(idp.rs256(idp.claims().issuer(null).build()))).isInstanceOf(OidcVerdict.NotOurs.class);
    }

    @Test
    void anIssNotAStringIsMalformed() throws Exception {
        String token = signedWithRsa("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "{\"iss\":[\"" + idp.issuer() + "\"],\"aud\":\"x\",\"exp\":9999999999}");
        assertThat(f.verify(token)).isEqualTo(invalid("malformed token"));
    }

    @Test
    void duplicateClaimsAreNotReadEitherWay() throws Exception {
        String payloadJson = "{\"iss\":\"https://evil.example\",\"iss\":\"" + idp.issuer() + "\",\"sub\":\"x\",\"aud\":\""
                + TestIssuer.AUDIENCE + "\",\"exp\":" + (f.clock.instant().getEpochSecond() + 300) + "}";
        assertThat(f.verify(signedWithRsa("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", payloadJson))).isEqualTo(invalid("malformed token"));
    }

    @Test
    void groupsClaimThatIsNotAnArrayOfStringsIsRefused() {
        assertThat(f.verify(idp.rs256(idp.claims().claim("groups", "/admins").build()))).isEqualTo(invalid("groups claim is not an array of strings"));
        assertThat(f.verify(idp.rs256(idp.claims().claim("groups", List.of("/a", 7)).build()))).isEqualTo(invalid("groups claim is not an array of strings"));
        assertThat(f.verify(idp.rs256(idp.claims().claim("groups", java.util.Map.of("id", "/a")).build())))
                .isEqualTo(invalid("groups claim is not an array of strings"));
    }

    @Test
    void missingOrUnusablePrincipalClaimIsRefused() {
        assertThat(f.verify(idp.rs256(idp.claims().subject(null).build()))).isEqualTo(invalid("no principal claim"));
        assertThat(f.verify(idp.rs256(idp.claims().claim("oid", 42).build()))).isEqualTo(invalid("principal claim is not a non-empty string"));
        assertThat(f.verify(idp.rs256(idp.claims().claim("oid", "").build()))).isEqualTo(invalid("principal claim is not a non-empty string"));
        // A present-but-bad oid does not fall through to sub.
        assertThat(f.verify(idp.rs256(idp.claims().claim("oid", List.of("a")).build()))).isEqualTo(invalid("principal claim is not a non-empty string"));
    }

    // ---- shape and size ----

    @Test
    void anOversizedTokenIsRefusedBeforeParsing() {
        String big = idp.rs256(idp.claims().claim("pad", "x".repeat(9000)).build());
        assertThat(f.verify(big)).isEqualTo(invalid("token larger than 8192 bytes"));
        assertThat(f.verify("a".repeat(100_000))).isEqualTo(invalid("token larger than 8192 bytes"));
    }

    @Test
    void garbageInThreeSegmentsIsMalformed() {
        assertThat(f.verify("a.b.c")).isEqualTo(invalid("malformed token"));
        assertThat(f.verify("..")).isEqualTo(invalid("malformed token"));
        assertThat(f.verify(TestIssuer.raw("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "not json", new byte[256]))).isEqualTo(invalid("malformed token"));
        assertThat(f.verify(TestIssuer.raw("[1,2]", payload(), new byte[256]))).isEqualTo(invalid("malformed token"));
    }

    @Test
    void aValidTokenRespelledWithCharactersOutsideBase64urlIsRefused() {
        String good = idp.rs256(idp.claims().build());
        for (String variant : List.of(good + "\n", good + "=", " " + good, good.replaceFirst("\\.", "=."), good + "%00")) {
            assertThat(f.verify(variant)).as(variant).isEqualTo(invalid("malformed token"));
        }
        assertThat(f.verify(good)).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void somethingThatIsNotAJwsIsNotOurs() {
        assertThat(f.verify("bwk_4Kp0ZfQ3zcY1cJm2u8nXx9TtA7Lq5WbRr3sHdE6fGhJ0000ab")).isInstanceOf(OidcVerdict.NotOurs.class);
        assertThat(f.verify("a.b.c.d.e")).isInstanceOf(OidcVerdict.NotOurs.class);
        assertThat(f.verify("")).isEqualTo(invalid("empty token"));
    }

    @Test
    void aValidTokenOfAnotherTypeOfJsonValueInAudIsMalformed() throws Exception {
        String token = signedWithRsa("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", "{\"iss\":\"" + idp.issuer() + "\",\"sub\":\"x\",\"aud\":42,\"exp\":"
                + (f.clock.instant().getEpochSecond() + 300) + "}");
        assertThat(f.verify(token)).isEqualTo(invalid("malformed token"));
    }

    @Test
    void aTokenWithAJwkHeaderHoldingAPrivateKeyIsRefused() {
        String headerJson = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":" + TestIssuer.rsa("x").toJSONString() + "}";
        String token = TestIssuer.raw(headerJson, payload(), new byte[256]);
        assertThat(f.verify(token)).isEqualTo(invalid("malformed token"));
    }

    @Test
    void everyRefusalReasonIsAFixedPhraseWithoutAttackerInput() {
        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("<script>").type(new JOSEObjectType("x")).build(),
                idp.claims().build(), idp.rsaKey);
        OidcVerdict v = f.verify(token);
        assertThat(((OidcVerdict.Invalid) v).reason()).isEqualTo("malformed kid").doesNotContain("<script>");
    }
}
