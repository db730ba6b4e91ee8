package dev.bulwark.identity.oidc;

import dev.bulwark.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trusted-issuer verification against a real Keycloak (the shared {@link KeycloakServer}): its
 * discovery, JWKS, TLS, tokens and key rotation, nothing simulated.
 */
class KeycloakOidcTest {
    private static KeycloakServer keycloak;
    private final List<OidcKeys> opened = new ArrayList<>();

    @BeforeAll
    static void startKeycloak() {
        // Only a build without the pom's Keycloak setup skips; with it, a missing distribution fails.
        Assumptions.assumeTrue(KeycloakServer.isConfigured(),
                "the pom does not provide Keycloak (bulwark.keycloak.home unset, nothing under target/keycloak)");
        keycloak = KeycloakServer.shared();
    }

    @AfterEach
    void closeKeys() {
        opened.forEach(OidcKeys::close);
    }

    /** A verifier trusting the realm as configured by {@code configure}, keys prefetched. */
    private OidcTokenVerifier verifier(UnaryOperator<TrustedIssuer.Builder> configure, Clock keysClock, Clock clock) {
        TrustedIssuers trusted = TrustedIssuers.of(configure.apply(keycloak.trustedIssuer()).build());
        OidcKeys keys = new OidcKeys(trusted, keysClock);
        opened.add(keys);
        keys.prefetch().join();
        return new OidcTokenVerifier(trusted, keys, clock);
    }

    private OidcTokenVerifier verifier() {
        return verifier(b -> b, Clock.systemUTC(), Clock.systemUTC());
    }

    @Test
    void alicesTokenVerifiesToHerKeycloakUser() {
        OidcVerdict v = verifier().verify(keycloak.token("alice", "alice-password"));

        assertThat(v).isInstanceOf(OidcVerdict.Valid.class);
        Principal.User alice = ((OidcVerdict.Valid) v).principal();
        assertThat(alice.issuer()).isEqualTo(keycloak.issuer());
        assertThat(alice.objectId()).isEqualTo(keycloak.userId("alice"));
        assertThat(alice.groups()).isEmpty();
        assertThat(alice.name()).isEqualTo("Alice Example");
        assertThat(((OidcVerdict.Valid) v).expiresAt()).isBetween(Instant.now().plusSeconds(500), Instant.now().plusSeconds(601));
    }

    @Test
    void carolsTokenCarriesHerGroupAsKeycloaksFullPath() {
        Principal.User carol = ((OidcVerdict.Valid) verifier().verify(keycloak.token("carol", "carol-password"))).principal();

        assertThat(carol.objectId()).isEqualTo(keycloak.userId("carol"));
        assertThat(carol.groups()).containsExactly(KeycloakServer.LANGUAGE_USERS_GROUP);
    }

    @Test
    void everyTestUserGetsTheirOwnObjectId() {
        OidcTokenVerifier verifier = verifier();
        for (String user : List.of("bob", "dave")) {
            Principal.User u = ((OidcVerdict.Valid) verifier.verify(keycloak.token(user, user + "-password"))).principal();
            assertThat(u.objectId()).isEqualTo(keycloak.userId(user));
        }
    }

    @Test
    void theClientsServiceAccountTokenIsAUserToo() {
        OidcVerdict v = verifier().verify(keycloak.serviceAccountToken());
        assertThat(((OidcVerdict.Valid) v).principal().objectId()).isEqualTo(keycloak.userId("service-account-bulwark-tests"));
    }

    @Test
    void anEs256SignedTokenFromTheRealmVerifies() throws Exception {
        String token = keycloak.token(KeycloakServer.ES256_CLIENT_ID, KeycloakServer.ES256_CLIENT_SECRET, "alice", "alice-password");
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);

        // Keys fetched after the realm made its EC key (Keycloak creates it on first use).
        OidcVerdict v = verifier().verify(token);
        assertThat(((OidcVerdict.Valid) v).principal().objectId()).isEqualTo(keycloak.userId("alice"));
    }

    @Test
    void anRs256TokenIsRefusedWhenTheRealmIsPinnedToEs256() {
        OidcTokenVerifier esOnly = verifier(b -> b.algorithms(JWSAlgorithm.ES256), Clock.systemUTC(), Clock.systemUTC());
        assertThat(esOnly.verify(keycloak.token("alice", "alice-password")))
                .isEqualTo(new OidcVerdict.Invalid("algorithm not allowed for this issuer"));
    }

    @Test
    void aTokenForAnotherClientOfTheRealmHasTheWrongAudience() {
        String token = keycloak.token(KeycloakServer.OTHER_CLIENT_ID, KeycloakServer.OTHER_CLIENT_SECRET, "alice", "alice-password");
        assertThat(verifier().verify(token)).isEqualTo(new OidcVerdict.Invalid("audience not accepted"));
    }

    @Test
    void theIdTokenIsNotAnAccessTokenForBulwark() {
        JsonNode answer = keycloak.tokenResponse(KeycloakServer.CLIENT_ID, KeycloakServer.CLIENT_SECRET, "alice", "alice-password", "openid");
        assertThat(verifier().verify(answer.get("id_token").asText())).isEqualTo(new OidcVerdict.Invalid("audience not accepted"));
    }

    @Test
    void theRefreshTokenSignedWithTheRealmsHmacKeyIsRefused() throws Exception {
        JsonNode answer = keycloak.tokenResponse(KeycloakServer.CLIENT_ID, KeycloakServer.CLIENT_SECRET, "alice", "alice-password", null);
        String refresh = answer.get("refresh_token").asText();
        assertThat(SignedJWT.parse(refresh).getHeader().getAlgorithm().getName()).startsWith("HS");

        assertThat(verifier().verify(refresh)).isEqualTo(new OidcVerdict.Invalid("algorithm not allowed for this issuer"));
    }

    @Test
    void aTokenOfTheMasterRealmIsNotOurs() {
        assertThat(verifier().verify(keycloak.masterAdminToken())).isInstanceOf(OidcVerdict.NotOurs.class);
    }

    @Test
    void aTamperedKeycloakTokenIsRefused() throws Exception {
        String token = keycloak.token("bob", "bob-password");
        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(keycloak.userId("bob"), keycloak.userId("alice"));
        String forged = parts[0] + "." + TestIssuer.b64(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(verifier().verify(forged)).isEqualTo(new OidcVerdict.Invalid("bad signature"));
    }

    @Test
    void aKeycloakTokenIsRefusedOnceExpired() {
        String token = keycloak.token("alice", "alice-password");
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(12));
        assertThat(verifier(b -> b, Clock.systemUTC(), later).verify(token)).isEqualTo(new OidcVerdict.Invalid("expired"));
    }

    @Test
    void withoutTheRealmsCaCertificateNoKeysAreFetchedAndTokensAreRefused() {
        TrustedIssuers trusted = TrustedIssuers.of(keycloak.trustedIssuer().caCertificatePem(null).build());
        OidcKeys keys = new OidcKeys(trusted, Clock.systemUTC());
        opened.add(keys);

        assertThatThrownBy(() -> keys.refresh(keycloak.issuer()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("SSLHandshakeException");
        assertThat(new OidcTokenVerifier(trusted, keys, Clock.systemUTC()).verify(keycloak.token("alice", "alice-password")))
                .isEqualTo(new OidcVerdict.Invalid("no signing keys for this issuer yet"));
    }

    @Test
    void aRotatedSigningKeyIsPickedUpByTheRateLimitedRefresh() throws Exception {
        MutableClock keysClock = MutableClock.atNow();
        TrustedIssuers trusted = TrustedIssuers.of(keycloak.trustedIssuer().build());
        OidcKeys keys = new OidcKeys(trusted, keysClock);
        opened.add(keys);
        keys.prefetch().join();
        OidcTokenVerifier verifier = new OidcTokenVerifier(trusted, keys, Clock.systemUTC());
        String before = keycloak.token("alice", "alice-password");
        assertThat(verifier.verify(before)).isInstanceOf(OidcVerdict.Valid.class);
        var prefetch = keys.latestRefresh(keycloak.issuer()).orElseThrow();

        String newKid = keycloak.rotateRsaSigningKey();
        String after = keycloak.token("alice", "alice-password");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid).isNotEqualTo(SignedJWT.parse(before).getHeader().getKeyID());

        // Within 30 s of the last fetch: refused, and no refresh is started.
        assertThat(verifier.verify(after)).isEqualTo(new OidcVerdict.Invalid("unknown kid"));
        assertThat(keys.latestRefresh(keycloak.issuer()).orElseThrow()).isSameAs(prefetch);

        // 30 s later the unknown kid triggers one refresh; once it lands the same token passes.
        keysClock.advance(Duration.ofSeconds(30));
        assertThat(verifier.verify(after)).isEqualTo(new OidcVerdict.Invalid("unknown kid"));
        JwksSnapshot refreshed = keys.latestRefresh(keycloak.issuer()).orElseThrow().get(30, TimeUnit.SECONDS);
        assertThat(refreshed.keys(newKid)).isNotEmpty();

        assertThat(verifier.verify(after)).isInstanceOf(OidcVerdict.Valid.class);
        // The previous key is still published, so tokens it signed keep working until they expire.
        assertThat(verifier.verify(before)).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void keycloakStartedWithinTheBudget() {
        System.out.println("Keycloak startup: " + keycloak.startupTime().toMillis() + " ms");
        assertThat(keycloak.startupTime()).isLessThan(KeycloakServer.STARTUP_TIMEOUT);
    }
}
