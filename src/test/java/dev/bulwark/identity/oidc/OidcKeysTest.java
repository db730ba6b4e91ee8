package dev.bulwark.identity.oidc;

import dev.bulwark.testing.MutableClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Discovery and JWKS fetching against a local HTTPS issuer: the rules, the limits, the rate limit. */
class OidcKeysTest {
    private final MutableClock clock = MutableClock.atNow();
    private final TestIssuer idp = new TestIssuer(clock);
    private OidcKeys keys;

    @AfterEach
    void close() {
        if (keys != null) {
            keys.close();
        }
        idp.close();
    }

    private OidcKeys keys(TrustedIssuer.Builder issuer) {
        keys = new OidcKeys(TrustedIssuers.of(issuer.build()), clock);
        return keys;
    }

    private static String failure(CompletableFuture<?> f) {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(OidcFetchException.class);
            return e.getCause().getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the fetch succeeded");
    }

    @Test
    void prefetchLoadsTheSigningKeysThroughTheConfiguredCa() {
        OidcKeys k = keys(idp.trusted());
        assertThat(k.currentKeys(idp.issuer())).isEmpty();

        k.prefetch().join();

        JwksSnapshot s = k.currentKeys(idp.issuer()).orElseThrow();
        assertThat(s.byKid().keySet()).containsExactlyInAnyOrder("rsa-1", "ec-1");
        assertThat(s.fetchedAt()).isEqualTo(clock.instant());
        assertThat(idp.discoveryHits.get()).isEqualTo(1);
        assertThat(idp.jwksHits.get()).isEqualTo(1);
    }

    @Test
    void withoutTheIssuersCaTheTlsHandshakeFailsAndNoKeysAreLoaded() {
        OidcKeys k = keys(idp.trusted().caCertificatePem(null));
        assertThat(failure(k.refresh(idp.issuer()))).contains("discovery").containsIgnoringCase("SSLHandshakeException");
        assertThat(k.currentKeys(idp.issuer())).isEmpty();
        // A failed prefetch does not throw: the issuer stays without keys.
        k.prefetch().join();
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() {
        idp.override(TestIssuer.DISCOVERY_PATH, TestIssuer.Response.json(
                "{\"issuer\":\"https://evil.example/realms/test\",\"jwks_uri\":\"" + idp.base() + TestIssuer.JWKS_PATH + "\"}"));
        OidcKeys k = keys(idp.trusted());

        assertThat(failure(k.refresh(idp.issuer()))).contains("names issuer 'https://evil.example/realms/test'");
        assertThat(idp.jwksHits.get()).isZero();
        assertThat(k.currentKeys(idp.issuer())).isEmpty();
    }

    @Test
    void aDiscoveryIssuerDifferingOnlyByATrailingSlashIsRefused() {
        idp.override(TestIssuer.DISCOVERY_PATH, TestIssuer.Response.json(
                "{\"issuer\":\"" + idp.issuer() + "/\",\"jwks_uri\":\"" + idp.base() + TestIssuer.JWKS_PATH + "\"}"));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("not the configured");
    }

    @Test
    void aJwksUriThatIsNotHttpsIsRefused() {
        idp.override(TestIssuer.DISCOVERY_PATH, TestIssuer.Response.json(
                "{\"issuer\":\"" + idp.issuer() + "\",\"jwks_uri\":\"http://keys.example/certs\"}"));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("is not https");
    }

    @Test
    void anHttpJwksUriOnLoopbackIsRefusedUnlessTheIssuerAllowsInsecureLoopback() {
        idp.override(TestIssuer.DISCOVERY_PATH, TestIssuer.Response.json(
                "{\"issuer\":\"" + idp.issuer() + "\",\"jwks_uri\":\"http://127.0.0.1:1/certs\"}"));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("is not https");
    }

    @Test
    void discoveryWithoutAJwksUriIsRefused() {
        idp.override(TestIssuer.DISCOVERY_PATH, TestIssuer.Response.json("{\"issuer\":\"" + idp.issuer() + "\"}"));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("no jwks_uri");
    }

    @Test
    void redirectsAreNotFollowed() {
        idp.override(TestIssuer.DISCOVERY_PATH, new TestIssuer.Response(302,
                Map.of("Location", "https://127.0.0.1:1/elsewhere"), new byte[0], 0));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("HTTP 302").contains("redirects are not followed");
    }

    @Test
    void anErrorStatusIsRefused() {
        idp.override(TestIssuer.JWKS_PATH, new TestIssuer.Response(500, Map.of(), "oops".getBytes(StandardCharsets.UTF_8), 0));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("JWKS").contains("HTTP 500");
    }

    @Test
    void anOversizedResponseIsRefused() {
        byte[] big = ("{\"keys\":[],\"pad\":\"" + "x".repeat(300 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        idp.override(TestIssuer.JWKS_PATH, new TestIssuer.Response(200, Map.of(), big, 0));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("larger than 262144 bytes");
    }

    @Test
    void aJwksThatIsNotJsonOrHasNoKeysIsRefused() {
        idp.override(TestIssuer.JWKS_PATH, TestIssuer.Response.json("<html>"));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("not a JSON object");
        idp.override(TestIssuer.JWKS_PATH, TestIssuer.Response.json("{\"keys\":[]}"));
        assertThat(failure(keys.refresh(idp.issuer()))).contains("no usable signing key");
        idp.override(TestIssuer.JWKS_PATH, TestIssuer.Response.json("{\"nokeys\":1}"));
        assertThat(failure(keys.refresh(idp.issuer()))).contains("no \"keys\" array");
    }

    @Test
    void onlyPublicSigningKeysThatAreStrongEnoughAreKept() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        RSAKey encryption = new RSAKeyGenerator(2048).keyID("enc").keyUse(KeyUse.ENCRYPTION).generate();
        RSAKey noKid = new RSAKeyGenerator(2048).generate();
        RSAKey privatePublished = new RSAKeyGenerator(2048).keyID("oops-private").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        String jwks = "{\"keys\":[" + weak.toPublicJWK().toJSONString() + "," + encryption.toPublicJWK().toJSONString() + ","
                + noKid.toPublicJWK().toJSONString() + "," + privatePublished.toJSONString() + ","
                + "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI\"},"
                + "{\"kty\":\"EC\",\"kid\":\"off-curve\",\"crv\":\"P-256\",\"x\":\"AAAA\",\"y\":\"AAAA\"},"
                + "\"not an object\","
                + idp.ecKey.toPublicJWK().toJSONString() + "]}";
        idp.override(TestIssuer.JWKS_PATH, TestIssuer.Response.json(jwks));

        JwksSnapshot s = keys(idp.trusted()).refresh(idp.issuer()).get(20, TimeUnit.SECONDS);

        assertThat(s.byKid().keySet()).containsExactlyInAnyOrder("oops-private", "ec-1");
        assertThat(s.keys("oops-private").get(0).jwk().isPrivate()).isFalse();
    }

    @Test
    void tooManyKeysAreRefused() {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i <= OidcKeys.MAX_KEYS; i++) {
            sb.append(i == 0 ? "" : ",").append(idp.ecKey.toPublicJWK().toJSONString());
        }
        idp.override(TestIssuer.JWKS_PATH, TestIssuer.Response.json(sb.append("]}").toString()));
        assertThat(failure(keys(idp.trusted()).refresh(idp.issuer()))).contains("limit " + OidcKeys.MAX_KEYS);
    }

    @Test
    void aFailedRefreshKeepsThePreviousKeys() throws Exception {
        OidcKeys k = keys(idp.trusted());
        JwksSnapshot first = k.refresh(idp.issuer()).get(20, TimeUnit.SECONDS);

        idp.override(TestIssuer.JWKS_PATH, new TestIssuer.Response(503, Map.of(), new byte[0], 0));
        failure(k.refresh(idp.issuer()));

        assertThat(k.currentKeys(idp.issuer())).containsSame(first);
    }

    @Test
    void refreshIfAllowedRunsAtMostOncePer30SecondsPerIssuer() throws Exception {
        OidcKeys k = keys(idp.trusted());
        k.prefetch().join();

        assertThat(k.refreshIfAllowed(idp.issuer())).isEmpty();
        clock.advance(Duration.ofSeconds(29));
        assertThat(k.refreshIfAllowed(idp.issuer())).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        k.refreshIfAllowed(idp.issuer()).orElseThrow().get(20, TimeUnit.SECONDS);
        assertThat(k.refreshIfAllowed(idp.issuer())).isEmpty();

        assertThat(idp.jwksHits.get()).isEqualTo(2);
    }

    @Test
    void aFailedAttemptCountsForTheRateLimitToo() {
        idp.override(TestIssuer.DISCOVERY_PATH, new TestIssuer.Response(500, Map.of(), new byte[0], 0));
        OidcKeys k = keys(idp.trusted());
        failure(k.refreshIfAllowed(idp.issuer()).orElseThrow());

        assertThat(k.refreshIfAllowed(idp.issuer())).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(k.refreshIfAllowed(idp.issuer())).isPresent();
    }

    @Test
    void refreshingNeverBlocksTheCallerAndConcurrentRequestsShareOneFetch() throws Exception {
        idp.override(TestIssuer.DISCOVERY_PATH, new TestIssuer.Response(200, Map.of("Content-Type", "application/json"),
                idp.discoveryJson().getBytes(StandardCharsets.UTF_8), 1500));
        OidcKeys k = keys(idp.trusted());

        long start = System.nanoTime();
        CompletableFuture<JwksSnapshot> a = k.refresh(idp.issuer());
        CompletableFuture<JwksSnapshot> b = k.refresh(idp.issuer());
        CompletableFuture<JwksSnapshot> c = k.refreshIfAllowed(idp.issuer()).orElseThrow();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(k.currentKeys(idp.issuer())).isEmpty();

        assertThat(a).isSameAs(b).isSameAs(c);
        a.get(20, TimeUnit.SECONDS);
        assertThat(idp.discoveryHits.get()).isEqualTo(1);
    }

    @Test
    void anUnknownIssuerCannotBeRefreshed() {
        OidcKeys k = keys(idp.trusted());
        assertThatThrownBy(() -> k.refresh("https://evil.example")).isInstanceOf(IllegalArgumentException.class);
        assertThat(k.currentKeys("https://evil.example")).isEmpty();
    }
}
