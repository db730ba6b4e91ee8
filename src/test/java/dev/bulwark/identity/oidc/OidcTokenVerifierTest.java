package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens that should pass, and what they turn into; the verified-token cache. Hostile tokens: {@link OidcHostileTokenTest}. */
class OidcTokenVerifierTest {
    private final OidcFixture f = new OidcFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void anRs256TokenBecomesAUserNamedByItsSubject() {
        OidcVerdict v = f.verify(f.idp.rs256(f.idp.claims().claim("name", "Alice Example").build()));

        assertThat(v).isInstanceOf(OidcVerdict.Valid.class);
        OidcVerdict.Valid valid = (OidcVerdict.Valid) v;
        assertThat(valid.principal()).isEqualTo(new Principal.User(f.idp.issuer(), "user-sub-1", Set.of(), "Alice Example"));
        assertThat(valid.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    void anEs256TokenIsAccepted() {
        assertThat(f.verify(f.idp.es256(f.idp.claims().build()))).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void aPs256TokenIsAcceptedFromAKeyPublishedForPs256() throws Exception {
        RSAKey ps = new RSAKeyGenerator(2048).keyID("ps-1").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.PS256).generate();
        f.idp.publish(f.idp.rsaKey, f.idp.ecKey, ps);
        f.keys.refresh(f.idp.issuer()).join();

        String token = TestIssuer.sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("ps-1").build(), f.idp.claims().build(), ps);
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void oidWinsOverSubAndGroupsAreKeptExactlyAsSent() {
        String token = f.idp.rs256(f.idp.claims()
                .claim("oid", "7f3c-object-id")
                .claim("groups", List.of("/language-users", "/ops/admins", "c0ffee-entra-group-id"))
                .claim("preferred_username", "carol")
                .build());

        Principal.User user = ((OidcVerdict.Valid) f.verify(token)).principal();
        assertThat(user.objectId()).isEqualTo("7f3c-object-id");
        assertThat(user.groups()).containsExactlyInAnyOrder("/language-users", "/ops/admins", "c0ffee-entra-group-id");
        assertThat(user.name()).isEqualTo("carol");
        assertThat(user.describe()).isEqualTo("oidc:" + f.idp.issuer() + "#7f3c-object-id");
    }

    @Test
    void principalAndGroupsClaimsFollowTheIssuersConfiguration() {
        try (OidcFixture custom = new OidcFixture(b -> b.principalClaims("email", "sub").groupsClaim("roles"))) {
            String token = custom.idp.rs256(custom.idp.claims()
                    .claim("email", "dave@example.test")
                    .claim("roles", List.of("reader"))
                    .claim("groups", "ignored: not the configured claim")
                    .build());

            Principal.User user = ((OidcVerdict.Valid) custom.verify(token)).principal();
            assertThat(user.objectId()).isEqualTo("dave@example.test");
            assertThat(user.groups()).containsExactly("reader");
        }
    }

    @Test
    void anyOfSeveralAudiencesIsEnoughWhenOneIsAccepted() {
        String token = f.idp.rs256(f.idp.claims().audience(List.of("account", TestIssuer.AUDIENCE)).build());
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);
    }

    @Test
    void expiryIsHonouredWithTheLeewayAndNoMore() {
        String token = f.idp.rs256(f.idp.claims().build());
        f.clock.advance(Duration.ofMinutes(5).plusSeconds(59));
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);
        f.clock.advance(Duration.ofSeconds(2));
        assertThat(f.verify(token)).isEqualTo(new OidcVerdict.Invalid("expired"));
    }

    @Test
    void aSmallerConfiguredLeewayIsApplied() {
        try (OidcFixture strict = new OidcFixture(b -> b.clockLeeway(Duration.ofSeconds(5)))) {
            String token = strict.idp.rs256(strict.idp.claims().build());
            strict.clock.advance(Duration.ofMinutes(5).plusSeconds(6));
            assertThat(strict.verify(token)).isEqualTo(new OidcVerdict.Invalid("expired"));
        }
    }

    @Test
    void aCachedTokenIsStillRefusedOnceItExpires() {
        String token = f.idp.rs256(f.idp.claims().build());
        OidcVerdict first = f.verify(token);
        assertThat(f.verify(token)).isSameAs(first);

        f.clock.advance(Duration.ofMinutes(7));
        assertThat(f.verify(token)).isEqualTo(new OidcVerdict.Invalid("expired"));
    }

    @Test
    void aCachedTokenIsVerifiedAgainAfterItsKeyIsWithdrawnByTheIssuer() {
        String token = f.idp.rs256(f.idp.claims().build());
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);

        f.idp.publish(f.idp.ecKey);
        f.keys.refresh(f.idp.issuer()).join();

        assertThat(f.verify(token)).isEqualTo(new OidcVerdict.Invalid("unknown kid"));
    }

    @Test
    void theCacheStaysBoundedAndEvictedTokensStillVerify() {
        OidcTokenVerifier small = new OidcTokenVerifier(f.trusted, f.keys, f.clock, 8);
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(f.idp.es256(f.idp.claims().subject("user-" + i).build()));
        }
        for (String t : tokens) {
            assertThat(small.verify(t)).isInstanceOf(OidcVerdict.Valid.class);
        }
        for (String t : tokens) {
            assertThat(small.verify(t)).isInstanceOf(OidcVerdict.Valid.class);
        }
    }

    @Test
    void keysOlderThanAnHourAreRefreshedInTheBackgroundWhileStillUsed() throws Exception {
        String token = f.idp.rs256(f.idp.claims().build());
        assertThat(f.verify(token)).isInstanceOf(OidcVerdict.Valid.class);
        int before = f.idp.jwksHits.get();

        f.clock.advance(Duration.ofMinutes(61));
        String fresh = f.idp.rs256(f.idp.claims().build());
        assertThat(f.verify(fresh)).isInstanceOf(OidcVerdict.Valid.class);

        f.keys.latestRefresh(f.idp.issuer()).orElseThrow().get(10, TimeUnit.SECONDS);
        assertThat(f.idp.jwksHits.get()).isEqualTo(before + 1);
    }
}
