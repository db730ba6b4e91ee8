package dev.bulwark.identity.workload;

import dev.bulwark.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.bulwark.identity.workload.WorkloadFixtures.FakeMinter;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

import static dev.bulwark.identity.workload.WorkloadFixtures.RESOURCE;
import static dev.bulwark.identity.workload.WorkloadFixtures.claims;
import static dev.bulwark.identity.workload.WorkloadFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;

class ClientCredentialsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRANT = "grant_type=client_credentials&scope=" + enc(RESOURCE + "/.default");
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @TempDir
    Path dir;
    Database db;
    MutableClock clock;
    FakeMinter minter;
    WorkloadIdentityService identities;
    ClientCredentialsEndpoint endpoint;

    WorkloadIdentity secretIdentity;
    String secret;
    WorkloadIdentity ecIdentity;
    WorkloadIdentity rsaIdentity;
    static ECKey ecKey;
    static RSAKey rsaKey;

    @org.junit.jupiter.api.BeforeAll
    static void keys() throws Exception {
        ecKey = WorkloadFixtures.ecKey();
        rsaKey = WorkloadFixtures.rsaKey(2048);
    }

    @BeforeEach
    void setUp() throws Exception {
        db = WorkloadFixtures.database(dir);
        clock = new MutableClock();
        minter = new FakeMinter();
        identities = WorkloadFixtures.service(db, clock);
        endpoint = new ClientCredentialsEndpoint(identities, minter, WorkloadFixtures.policy(), clock);
        var created = identities.create("secret-app", Optional.empty(), true);
        secretIdentity = created.identity();
        secret = created.secret().orElseThrow().reveal();
        ecIdentity = identities.create("ec-app", Optional.of(ecKey.toPublicJWK().toJSONString()), false).identity();
        rsaIdentity = identities.create("rsa-app", Optional.of(rsaKey.toPublicJWK().toJSONString()), false).identity();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private EndpointResponse post(String authorization, String form) {
        return endpoint.handle(authorization, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
    }

    private EndpointResponse withAssertion(String assertion) {
        return post(null, GRANT + "&client_assertion_type=" + enc(JWT_BEARER) + "&client_assertion=" + assertion);
    }

    private static JsonNode json(EndpointResponse r) throws Exception {
        return JSON.readTree(r.body());
    }

    private void assertError(EndpointResponse r, int status, String error) throws Exception {
        assertThat(r.status()).as(r.body() + " / " + r.auditReason()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(error);
        assertThat(json(r).path("error_description").asText()).isNotBlank();
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Content-Type", "application/json; charset=utf-8");
        assertThat(r.principal()).isEmpty();
    }

    private void assertIssued(EndpointResponse r, WorkloadIdentity who) throws Exception {
        assertThat(r.status()).as(r.body() + " / " + r.auditReason()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.path("access_token").asText()).startsWith("fake-token." + who.clientId());
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Pragma", "no-cache");
        assertThat(r.principal()).contains(who.principal());
        assertThat(minter.calls.get(minter.calls.size() - 1)).isEqualTo(new FakeMinter.Call(who.clientId(), who.name(), RESOURCE));
    }

    // --- success, each method ---

    @Test
    void clientSecretBasicGetsABearerTokenForTheResource() throws Exception {
        EndpointResponse r = post(basic(secretIdentity.clientId(), secret), GRANT);
        assertIssued(r, secretIdentity);
        assertThat(r.auditReason()).contains("client_secret_basic").doesNotContain(secret);
        assertThat(r.body()).doesNotContain(secret);
    }

    @Test
    void clientSecretPostGetsABearerToken() throws Exception {
        assertIssued(post(null, GRANT + "&client_id=" + secretIdentity.clientId() + "&client_secret=" + secret), secretIdentity);
    }

    @Test
    void theIdentityNameWorksAsClientIdForSecrets() throws Exception {
        assertIssued(post(basic("secret-app", secret), GRANT), secretIdentity);
    }

    @Test
    void resourceParameterAndATrailingSlashNameTheSameResource() throws Exception {
        assertIssued(post(basic(secretIdentity.clientId(), secret), "grant_type=client_credentials&resource=" + enc(RESOURCE)), secretIdentity);
        assertIssued(post(basic(secretIdentity.clientId(), secret), "grant_type=client_credentials&resource=" + enc(RESOURCE + "/")), secretIdentity);
        assertIssued(post(basic(secretIdentity.clientId(), secret), "grant_type=client_credentials&scope=" + enc(RESOURCE + "//.default")), secretIdentity);
    }

    @Test
    void privateKeyJwtWithEs256Works() throws Exception {
        assertIssued(withAssertion(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build())), ecIdentity);
    }

    @Test
    void privateKeyJwtWithRs256AndPs256Works() throws Exception {
        assertIssued(withAssertion(sign(rsaKey, JWSAlgorithm.RS256, claims(rsaIdentity.clientId(), clock.instant()).build())), rsaIdentity);
        assertIssued(withAssertion(sign(rsaKey, JWSAlgorithm.PS256, claims(rsaIdentity.clientId(), clock.instant()).build())), rsaIdentity);
    }

    @Test
    void privateKeyJwtMayRepeatTheClientIdInTheBody() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        assertIssued(post(null, GRANT + "&client_id=" + ecIdentity.clientId() + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + a), ecIdentity);
    }

    @Test
    void thePreviousSecretWorksDuringTheOverlapAndTheAuditSaysSo() throws Exception {
        String fresh = identities.regenerateSecret("secret-app", false).secret().reveal();
        EndpointResponse old = post(basic(secretIdentity.clientId(), secret), GRANT);
        assertThat(old.status()).isEqualTo(200);
        assertThat(old.auditReason()).contains("previous client secret");
        assertThat(post(basic(secretIdentity.clientId(), fresh), GRANT).auditReason()).doesNotContain("previous");
        clock.advance(WorkloadIdentityService.DEFAULT_PREVIOUS_SECRET_OVERLAP);
        assertError(post(basic(secretIdentity.clientId(), secret), GRANT), 401, "invalid_client");
    }

    // --- secret failures ---

    @Test
    void aWrongSecretIsInvalidClientWithABasicChallenge() throws Exception {
        EndpointResponse r = post(basic(secretIdentity.clientId(), ClientSecretFormat.generate().reveal()), GRANT);
        assertError(r, 401, "invalid_client");
        assertThat(r.headers().get("WWW-Authenticate")).startsWith("Basic");
        assertThat(json(r).path("error_description").asText()).isEqualTo("client authentication failed");
        assertThat(r.auditReason()).isEqualTo("client_secret_basic: wrong client secret");
        assertThat(minter.calls).isEmpty();
    }

    @Test
    void aWrongSecretPostedInTheBodyIsInvalidClient() throws Exception {
        EndpointResponse r = post(null, GRANT + "&client_id=" + secretIdentity.clientId() + "&client_secret=" + ClientSecretFormat.generate().reveal());
        assertError(r, 401, "invalid_client");
        assertThat(r.headers()).doesNotContainKey("WWW-Authenticate");
    }

    @Test
    void anUnknownClientLooksLikeAWrongSecretToTheCaller() throws Exception {
        EndpointResponse unknown = post(basic("7d9c3b8e-1f2a-4c5d-8e9f-0a1b2c3d4e5f", secret), GRANT);
        assertError(unknown, 401, "invalid_client");
        assertThat(json(unknown).path("error_description").asText()).isEqualTo("client authentication failed");
        assertThat(unknown.auditReason()).contains("unknown client");
        assertError(post(null, GRANT + "&client_id=nobody&client_secret=" + secret), 401, "invalid_client");
    }

    @Test
    void aSecretWithoutClientIdIsInvalidClient() throws Exception {
        assertError(post(null, GRANT + "&client_secret=" + secret), 401, "invalid_client");
    }

    @Test
    void malformedBasicCredentialsAreInvalidClientWithAChallenge() throws Exception {
        for (String auth : new String[] {"Basic !!!not-base64!!!", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString((secretIdentity.clientId() + ":").getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString("%zz:%zz".getBytes(StandardCharsets.UTF_8)), "Basic", "Bearer abc.def.ghi"}) {
            EndpointResponse r = post(auth, GRANT);
            assertError(r, 401, "invalid_client");
            assertThat(r.headers()).as(auth).containsKey("WWW-Authenticate");
        }
        assertThat(minter.calls).isEmpty();
    }

    @Test
    void basicCredentialsAndADifferentClientIdInTheBodyAreInvalidRequest() throws Exception {
        assertError(post(basic(secretIdentity.clientId(), secret), GRANT + "&client_id=" + ecIdentity.clientId()), 400, "invalid_request");
        assertIssued(post(basic(secretIdentity.clientId(), secret), GRANT + "&client_id=" + secretIdentity.clientId()), secretIdentity);
    }

    @Test
    void noClientAuthenticationIsInvalidClient() throws Exception {
        EndpointResponse r = post(null, GRANT);
        assertError(r, 401, "invalid_client");
        assertThat(r.auditReason()).isEqualTo("no client authentication");
        assertError(post(null, GRANT + "&client_id=" + secretIdentity.clientId()), 401, "invalid_client");
    }

    // --- one method only ---

    @Test
    void twoAuthenticationMethodsAtOnceAreInvalidRequest() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        String assertion = "&client_assertion_type=" + enc(JWT_BEARER) + "&client_assertion=" + a;
        assertError(post(basic(secretIdentity.clientId(), secret), GRANT + "&client_id=" + secretIdentity.clientId() + "&client_secret=" + secret),
                400, "invalid_request");
        assertError(post(basic(secretIdentity.clientId(), secret), GRANT + assertion), 400, "invalid_request");
        assertError(post(null, GRANT + "&client_id=" + ecIdentity.clientId() + "&client_secret=" + secret + assertion), 400, "invalid_request");
        assertThat(minter.calls).isEmpty();
    }

    // --- grant, scope, body ---

    @Test
    void otherGrantTypesAreUnsupported() throws Exception {
        for (String g : new String[] {"password", "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer", "CLIENT_CREDENTIALS"}) {
            assertError(post(basic(secretIdentity.clientId(), secret), "grant_type=" + enc(g) + "&scope=" + enc(RESOURCE + "/.default")),
                    400, "unsupported_grant_type");
        }
        assertError(post(basic(secretIdentity.clientId(), secret), "scope=" + enc(RESOURCE + "/.default")), 400, "invalid_request");
    }

    @Test
    void unknownMissingOrMalformedScopesAreInvalidScope() throws Exception {
        String auth = basic(secretIdentity.clientId(), secret);
        for (String scope : new String[] {"https://management.azure.com/.default", RESOURCE, RESOURCE + "/user_impersonation",
                RESOURCE + "/.default https://vault.azure.net/.default", "https://cognitiveservices.azure.com.evil.example/.default"}) {
            assertError(post(auth, "grant_type=client_credentials&scope=" + enc(scope)), 400, "invalid_scope");
        }
        assertError(post(auth, "grant_type=client_credentials&resource=" + enc("https://vault.azure.net")), 400, "invalid_scope");
        assertError(post(auth, "grant_type=client_credentials"), 400, "invalid_scope");
        assertError(post(auth, GRANT + "&resource=" + enc(RESOURCE)), 400, "invalid_request");
        assertThat(minter.calls).isEmpty();
    }

    @Test
    void onlyAFormBodyIsAccepted() throws Exception {
        String auth = basic(secretIdentity.clientId(), secret);
        assertError(endpoint.handle(auth, "application/json", "{\"grant_type\":\"client_credentials\"}".getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        assertError(endpoint.handle(auth, null, GRANT.getBytes(StandardCharsets.UTF_8)), 400, "invalid_request");
        assertIssued(endpoint.handle(auth, "Application/X-WWW-Form-Urlencoded; charset=UTF-8", GRANT.getBytes(StandardCharsets.UTF_8)), secretIdentity);
        assertError(endpoint.handle(auth, "application/x-www-form-urlencoded", new byte[ClientCredentialsEndpoint.MAX_BODY_BYTES + 1]), 400, "invalid_request");
    }

    @Test
    void repeatedParametersAndBadEncodingAreInvalidRequest() throws Exception {
        String auth = basic(secretIdentity.clientId(), secret);
        assertError(post(auth, GRANT + "&grant_type=client_credentials"), 400, "invalid_request");
        assertError(post(auth, GRANT + "&scope=" + enc(RESOURCE + "/.default")), 400, "invalid_request");
        assertError(post(auth, GRANT + "&x=%zz"), 400, "invalid_request");
    }

    // --- private_key_jwt failures ---

    private void assertAssertionRefused(String assertion, String reasonPart) throws Exception {
        EndpointResponse r = withAssertion(assertion);
        assertError(r, 401, "invalid_client");
        assertThat(r.auditReason()).contains(reasonPart);
        assertThat(minter.calls).isEmpty();
    }

    @Test
    void anAssertionForAnotherAudienceIsRefused() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .audience("https://login.microsoftonline.com/tenant/oauth2/v2.0/token").build()), "aud");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).audience((String) null).build()), "aud");
    }

    @Test
    void anExpiredAssertionIsRefused() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        clock.advance(Duration.ofSeconds(300 + 31));
        assertAssertionRefused(a, "expired");
    }

    @Test
    void anAssertionWithinTheClockSkewOfItsExpiryStillWorks() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        clock.advance(Duration.ofSeconds(300 + 29));
        assertIssued(withAssertion(a), ecIdentity);
    }

    @Test
    void aLongLivedAssertionIsRefused() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(11)))).build()), "minutes ahead");
        assertIssued(withAssertion(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(10)))).build())), ecIdentity);
    }

    @Test
    void anAssertionWithoutExpIsRefused() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).expirationTime(null).build()), "exp");
    }

    @Test
    void aNotYetValidOrFutureAssertionIsRefused() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .notBeforeTime(Date.from(clock.instant().plusSeconds(120))).build()), "nbf");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .issueTime(Date.from(clock.instant().plusSeconds(120))).build()), "iat");
    }

    @Test
    void aReplayedJtiIsRefusedWhileTheAssertionLives() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        assertIssued(withAssertion(a), ecIdentity);
        minter.calls.clear();
        assertAssertionRefused(a, "replayed");
        String sameJti = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant())
                .jwtID(SignedJWT.parse(a).getJWTClaimsSet().getJWTID()).build());
        assertAssertionRefused(sameJti, "replayed");
    }

    @Test
    void anAssertionWithoutJtiIsRefused() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).jwtID(null).build()), "jti");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).jwtID(" ").build()), "jti");
    }

    @Test
    void algNoneInAnyCasingIsRefused() throws Exception {
        String payload = Base64URL.encode(claims(ecIdentity.clientId(), clock.instant()).build().toString()).toString();
        for (String alg : new String[] {"none", "None", "NONE", "nOnE"}) {
            String header = Base64URL.encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").toString();
            String expected = alg.equals("none") ? "not signed" : "alg " + alg + " not allowed";
            assertAssertionRefused(header + "." + payload + ".", alg.equals("none") ? expected : "not a JWT");
            assertAssertionRefused(header + "." + payload + "." + Base64URL.encode("sig"), alg.equals("none") ? "not a JWT" : expected);
        }
    }

    @Test
    void hs256SignedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKeyBytes = rsaKey.toRSAPublicKey().getEncoded();
        SignedJWT forged = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(rsaIdentity.clientId(), clock.instant()).build());
        forged.sign(new MACSigner(publicKeyBytes));
        assertAssertionRefused(forged.serialize(), "alg HS256 not allowed");
        byte[] ecBytes = ecKey.toECPublicKey().getEncoded();
        SignedJWT forgedEc = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(ecIdentity.clientId(), clock.instant()).build());
        forgedEc.sign(new MACSigner(java.util.Arrays.copyOf(ecBytes, Math.max(ecBytes.length, 32))));
        assertAssertionRefused(forgedEc.serialize(), "alg HS256 not allowed");
    }

    @Test
    void anAssertionSignedByAnotherKeyIsRefused() throws Exception {
        assertAssertionRefused(sign(WorkloadFixtures.ecKey(), JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build()), "signature");
        assertAssertionRefused(sign(WorkloadFixtures.rsaKey(2048), JWSAlgorithm.RS256, claims(rsaIdentity.clientId(), clock.instant()).build()), "signature");
    }

    @Test
    void anAlgorithmOtherThanTheKeysIsRefused() throws Exception {
        assertAssertionRefused(sign(rsaKey, JWSAlgorithm.RS512, claims(rsaIdentity.clientId(), clock.instant()).build()), "alg RS512 not allowed");
        // An RSA-signed assertion claiming to be the EC identity: the alg is not the registered key's.
        assertAssertionRefused(sign(rsaKey, JWSAlgorithm.RS256, claims(ecIdentity.clientId(), clock.instant()).build()), "alg RS256 not allowed");
    }

    @Test
    void anAllZeroEcdsaSignatureIsRefused() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        String zero = a.substring(0, a.lastIndexOf('.') + 1) + Base64URL.encode(new byte[64]);
        assertAssertionRefused(zero, "signature");
    }

    @Test
    void theAssertionMustNameTheClientAsIssAndSub() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).subject("someone-else").build()), "iss and sub");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).issuer(null).build()), "iss and sub");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims("ec-app", clock.instant()).build()), "not a client id");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims("0b6e7a34-58f3-4c55-9f0c-3d1f4c2b9a10", clock.instant()).build()), "unknown client");
        EndpointResponse mismatch = post(null, GRANT + "&client_id=" + rsaIdentity.clientId() + "&client_assertion_type=" + enc(JWT_BEARER)
                + "&client_assertion=" + sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build()));
        assertError(mismatch, 401, "invalid_client");
    }

    @Test
    void anIdentityWithoutAKeyCannotUseAssertions() throws Exception {
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(secretIdentity.clientId(), clock.instant()).build()), "no registered public key");
    }

    @Test
    void assertionParametersMustComeTogetherWithTheJwtBearerType() throws Exception {
        String a = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        assertError(post(null, GRANT + "&client_assertion=" + a), 400, "invalid_request");
        assertError(post(null, GRANT + "&client_assertion_type=" + enc(JWT_BEARER)), 400, "invalid_request");
        assertError(post(null, GRANT + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
                + "&client_assertion=" + a), 401, "invalid_client");
        assertAssertionRefused("not.a.jwt", "not a JWT");
        assertAssertionRefused("x".repeat(ClientAssertionVerifier.MAX_ASSERTION_CHARS + 1), "larger");
    }

    @Test
    void aFullReplayCacheRefusesNewAssertionsInsteadOfForgettingOldOnes() throws Exception {
        ClientCredentialsEndpoint small = new ClientCredentialsEndpoint(identities, minter, WorkloadFixtures.policy(), clock, new ReplayCache(1));
        String first = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        String form = GRANT + "&client_assertion_type=" + enc(JWT_BEARER) + "&client_assertion=";
        assertThat(small.handle(null, "application/x-www-form-urlencoded", (form + first).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
        String second = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        EndpointResponse full = small.handle(null, "application/x-www-form-urlencoded", (form + second).getBytes(StandardCharsets.UTF_8));
        assertThat(full.status()).isEqualTo(503);
        assertThat(json(full).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(full.headers()).containsKey("Retry-After");
        // Once the first assertion has expired its entry may go, and new assertions are accepted again.
        clock.advance(Duration.ofSeconds(300 + 31));
        String third = sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build());
        assertThat(small.handle(null, "application/x-www-form-urlencoded", (form + third).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
    }

    @Test
    void aDeletedIdentityGetsNoMoreTokens() throws Exception {
        identities.delete("secret-app");
        assertError(post(basic(secretIdentity.clientId(), secret), GRANT), 401, "invalid_client");
        identities.delete("ec-app");
        assertAssertionRefused(sign(ecKey, JWSAlgorithm.ES256, claims(ecIdentity.clientId(), clock.instant()).build()), "unknown client");
    }

    @Test
    void theClaimsSetMustBeWellTyped() throws Exception {
        // exp as a string is not a NumericDate: the claims set does not parse.
        String header = Base64URL.encode("{\"alg\":\"ES256\"}").toString();
        String payload = Base64URL.encode("{\"iss\":\"" + ecIdentity.clientId() + "\",\"sub\":\"" + ecIdentity.clientId()
                + "\",\"aud\":\"" + WorkloadFixtures.TOKEN_ENDPOINT + "\",\"exp\":\"soon\",\"jti\":\"1\"}").toString();
        assertAssertionRefused(header + "." + payload + "." + Base64URL.encode(new byte[64]), "claims");
        JWTClaimsSet ok = claims(ecIdentity.clientId(), clock.instant()).build();
        assertThat(ok.getJWTID()).isNotBlank();
    }
}
