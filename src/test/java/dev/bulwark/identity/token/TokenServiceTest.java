package dev.bulwark.identity.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {
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

    @Test
    void accountKeyTokenVerifiesAsThatKeyOnItsAccount() {
        String token = f.accountToken("contoso", KeyName.KEY2);
        TokenVerdict v = f.verify(token, "contoso");
        assertThat(v).isEqualTo(new TokenVerdict.Valid(new Principal.AccountKey("contoso", KeyName.KEY2),
                TokenFixture.START.plus(TokenService.LIFETIME)));
    }

    @Test
    void accountKeyTokenCarriesTheAzureShapedClaims() throws Exception {
        String keyId = f.currentKeyId("contoso", KeyName.KEY1);
        JWSObject jws = JWSObject.parse(f.service.issueForAccountKey("contoso", "westeurope", KeyName.KEY1, keyId));
        assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jws.getHeader().getKeyID()).isEqualTo(f.service.primaryKeyId());
        assertThat(jws.getHeader().getType().getType()).isEqualTo("JWT");
        assertThat(jws.getHeader().toJSONObject().keySet()).containsExactlyInAnyOrder("alg", "kid", "typ");
        JsonNode c = TokenFixture.JSON.readTree(jws.getPayload().toString());
        long now = TokenFixture.START.getEpochSecond();
        assertThat(c.get("iss").asText()).isEqualTo(TokenFixture.ISSUER);
        assertThat(c.get("aud")).hasSize(2);
        assertThat(c.get("aud").get(0).asText()).isEqualTo("https://cognitiveservices.azure.com");
        assertThat(c.get("aud").get(1).asText()).isEqualTo("/accounts/contoso");
        assertThat(c.get("sub").asText()).isEqualTo("key:contoso/Key1");
        assertThat(c.get("azure-resource-id").asText()).isEqualTo("/accounts/contoso");
        assertThat(c.get("region").asText()).isEqualTo("westeurope");
        assertThat(c.get("scope").asText()).isEqualTo("https://cognitiveservices.azure.com/.default");
        assertThat(c.get("bulwark-token-type").asText()).isEqualTo("account-key");
        assertThat(c.get("bulwark-key-id").asText()).isEqualTo(keyId);
        assertThat(c.get("iat").asLong()).isEqualTo(now);
        assertThat(c.get("nbf").asLong()).isEqualTo(now);
        assertThat(c.get("exp").asLong()).isEqualTo(now + 600);
        assertThat(c.get("jti").asText()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(c.size()).isEqualTo(12);
    }

    @Test
    void everyTokenHasItsOwnJti() throws Exception {
        String a = f.accountToken("contoso", KeyName.KEY1);
        String b = f.accountToken("contoso", KeyName.KEY1);
        assertThat(a).isNotEqualTo(b);
        assertThat(JWSObject.parse(a).getPayload().toJSONObject().get("jti"))
                .isNotEqualTo(JWSObject.parse(b).getPayload().toJSONObject().get("jti"));
    }

    @Test
    void tokenVerifiesWithThePublishedJwksAlone() throws Exception {
        String token = f.accountToken("contoso", KeyName.KEY1);
        JWKSet set = JWKSet.parse(f.service.jwksJson());
        ECKey key = (ECKey) set.getKeyByKeyId(JWSObject.parse(token).getHeader().getKeyID());
        assertThat(JWSObject.parse(token).verify(new ECDSAVerifier(key))).isTrue();
    }

    @Test
    void jwksPublishesPublicKeysOnlyWithKidUseAndAlg() throws Exception {
        JsonNode jwks = TokenFixture.JSON.readTree(f.service.jwksJson());
        assertThat(jwks.get("keys")).hasSize(1);
        JsonNode k = jwks.get("keys").get(0);
        assertThat(k.get("kty").asText()).isEqualTo("EC");
        assertThat(k.get("crv").asText()).isEqualTo("P-256");
        assertThat(k.get("kid").asText()).isEqualTo(f.service.primaryKeyId());
        assertThat(k.get("use").asText()).isEqualTo("sig");
        assertThat(k.get("alg").asText()).isEqualTo("ES256");
        assertThat(k.has("d")).isFalse();
        assertThat(jwks.size()).isEqualTo(1);
    }

    @Test
    void kidIsTheKeysThumbprint() throws Exception {
        ECKey key = (ECKey) JWKSet.parse(f.service.jwksJson()).getKeys().get(0);
        assertThat(key.computeThumbprint().toString()).isEqualTo(f.service.primaryKeyId());
    }

    @Test
    void workloadTokenVerifiesAsTheWorkloadOnAnyAccountsDataPlane() throws Exception {
        String token = f.service.issueForWorkload("wl-7f3a", "billing-batch", TokenService.COGNITIVE_SERVICES_AUDIENCE);
        TokenVerdict v = f.verify(token, "contoso");
        assertThat(v).isEqualTo(new TokenVerdict.Valid(new Principal.Workload("wl-7f3a", "billing-batch"),
                TokenFixture.START.plus(TokenService.LIFETIME)));
        assertThat(f.verify(token, "fabrikam")).isInstanceOf(TokenVerdict.Valid.class);
        JsonNode c = TokenFixture.JSON.readTree(JWSObject.parse(token).getPayload().toString());
        assertThat(c.get("bulwark-token-type").asText()).isEqualTo("workload");
        assertThat(c.get("name").asText()).isEqualTo("billing-batch");
        assertThat(c.get("sub").asText()).isEqualTo("wl-7f3a");
        assertThat(c.get("aud").asText()).isEqualTo(TokenService.COGNITIVE_SERVICES_AUDIENCE);
        assertThat(c.has("bulwark-key-id")).isFalse();
    }

    @Test
    void workloadTokenForOneAccountWorksThereOnly() {
        String token = f.service.issueForWorkload("wl-1", "app", "/accounts/contoso");
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(token, "contoso2")).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
        assertThat(f.verify(token, "contos")).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
        assertThat(f.verify(token, null)).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
    }

    @Test
    void workloadTokenForTheManagementAudienceWorksOnTheManagementPlaneOnly() {
        String token = f.service.issueForWorkload("wl-1", "ops", TokenService.MANAGEMENT_AUDIENCE);
        assertThat(f.verify(token, null)).isEqualTo(new TokenVerdict.Valid(new Principal.Workload("wl-1", "ops"),
                TokenFixture.START.plus(TokenService.LIFETIME)));
        assertThat(f.verify(token, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
    }

    @Test
    void configuredAudiencesReplaceTheDefaults(@TempDir Path other) {
        try (TokenFixture g = new TokenFixture(other, new TokenService.Options(Set.of("https://ai.example.org"), Set.of("https://bulwark.example.org/management"), 16))) {
            String data = g.service.issueForWorkload("wl-1", "app", "https://ai.example.org");
            String mgmt = g.service.issueForWorkload("wl-1", "app", "https://bulwark.example.org/management");
            String azure = g.service.issueForWorkload("wl-1", "app", TokenService.COGNITIVE_SERVICES_AUDIENCE);
            assertThat(g.verify(data, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
            assertThat(g.verify(mgmt, null)).isInstanceOf(TokenVerdict.Valid.class);
            assertThat(g.verify(data, null)).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
            assertThat(g.verify(azure, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.WRONG_AUDIENCE));
        }
    }

    @Test
    void optionsThatWouldConfuseThePlanesAreRefused() {
        assertThatThrownBy(() -> new TokenService.Options(Set.of("x"), Set.of("x"), 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenService.Options(Set.of("/accounts/a"), Set.of("m"), 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenService.Options(Set.of(), Set.of("m"), 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenService.Options(Set.of("d"), Set.of("m"), 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuingRefusesInputsThatCouldNotBeVerifiedBack() {
        assertThatThrownBy(() -> f.service.issueForAccountKey("Not An Account", "westeurope", KeyName.KEY1, "abc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.issueForAccountKey("contoso", "west\neurope", KeyName.KEY1, "abc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.issueForAccountKey("contoso", "westeurope", KeyName.KEY1, "a/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.issueForAccountKey("contoso", "westeurope", null, "abc"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> f.service.issueForWorkload("", "n", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> f.service.issueForWorkload("id", "n", "x".repeat(300))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void issuerMustBeAnHttpsUrl() {
        assertThatThrownBy(() -> new TokenService(f.db, f.master, f.cipher, f.clock, "http://localhost/sts")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenIsValidForTenMinutesPlusLeeway() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        f.clock.advance(Duration.ofMinutes(9));
        assertThat(f.verify(token, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        f.clock.advance(Duration.ofMinutes(1).plus(TokenService.LEEWAY));
        assertThat(f.verify(token, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.EXPIRED));
    }

    @Test
    void aNewServiceOverTheSameDatabaseVerifiesEarlierTokens() {
        String token = f.accountToken("contoso", KeyName.KEY1);
        String kid = f.service.primaryKeyId();
        TokenService restarted = f.restart();
        assertThat(restarted.primaryKeyId()).isEqualTo(kid);
        assertThat(restarted.verify(token, "contoso", f.generations)).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void tokensOfAnotherBulwarkAreUnknown(@TempDir Path other) {
        try (TokenFixture g = new TokenFixture(other)) {
            String foreign = g.accountToken("contoso", KeyName.KEY1);
            assertThat(f.verify(foreign, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.UNKNOWN_KID));
        }
    }

    @Test
    void expiresAtIsTheTokensExpWithoutLeeway() {
        f.clock.set(Instant.parse("2026-03-01T12:00:00.900Z"));
        String token = f.accountToken("contoso", KeyName.KEY1);
        TokenVerdict.Valid v = (TokenVerdict.Valid) f.verify(token, "contoso");
        assertThat(v.expiresAt()).isEqualTo(Instant.parse("2026-03-01T12:10:00Z"));
    }

    @Test
    void tokenIsCompactAndSmallEnoughForAHeader() {
        String token = f.accountToken("a-rather-long-account-name-for-an-ai-service-in-production-01", KeyName.KEY1);
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(token.length()).isLessThan(1024);
        assertThat(Base64.getUrlDecoder().decode(token.split("\\.")[2])).hasSize(64);
    }
}
