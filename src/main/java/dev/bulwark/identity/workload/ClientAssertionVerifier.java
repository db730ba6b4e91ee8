package dev.bulwark.identity.workload;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks a {@code private_key_jwt} client assertion (RFC 7523 §3, OpenID Connect Core §9), as explicit
 * data: the key is the one registered for the client named by {@code iss} = {@code sub}; the
 * algorithm is pinned by that key's type (ES256 for EC P-256; RS256 or PS256 for RSA), so {@code none},
 * {@code HS*} and anything a header asks for are refused; {@code aud} must name this token endpoint;
 * {@code exp} and {@code jti} are required, {@code exp} at most 10 minutes ahead, {@code nbf} and
 * {@code iat} honoured; a {@code jti} is accepted once. Header members that name keys ({@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c}, {@code kid}) are never used to find a key. The clock is injected.
 */
final class ClientAssertionVerifier {
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final int MAX_ASSERTION_CHARS = 16 * 1024;
    static final int MAX_JTI_CHARS = 256;
    static final int REPLAY_CACHE_CAPACITY = 100_000;

    private final WorkloadIdentityService identities;
    private final WorkloadTokenPolicy policy;
    private final Clock clock;
    private final ReplayCache replays;

    ClientAssertionVerifier(WorkloadIdentityService identities, WorkloadTokenPolicy policy, Clock clock, ReplayCache replays) {
        this.identities = identities;
        this.policy = policy;
        this.clock = clock;
        this.replays = replays;
    }

    sealed interface Result {
        record Valid(WorkloadIdentity identity) implements Result {
        }

        /** @param reason for the audit record; the client only ever learns "client assertion rejected" */
        record Invalid(String reason) implements Result {
        }

        /** The replay cache is full: refuse for now rather than risk accepting a replay. */
        record Unavailable(String reason) implements Result {
        }
    }

    /**
     * @param clientId the request's {@code client_id} parameter, if it had one: it must then equal {@code iss}
     */
    Result verify(String assertion, Optional<String> clientId) {
        if (assertion.length() > MAX_ASSERTION_CHARS) {
            return invalid("assertion larger than " + MAX_ASSERTION_CHARS + " characters");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(assertion);
        } catch (ParseException | RuntimeException e) {
            return invalid("assertion is not a JWT");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            return invalid("assertion is not signed (alg " + parsed.getHeader().getAlgorithm() + ")");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return invalid("assertion claims are not a JSON object with valid registered claims");
        }

        // Which client: iss = sub = client_id, a UUID.
        String iss = claims.getIssuer();
        String sub = claims.getSubject();
        if (iss == null || sub == null || !iss.equals(sub)) {
            return invalid("iss and sub must both be the client id");
        }
        if (clientId.isPresent() && !clientId.get().equals(iss)) {
            return invalid("client_id differs from the assertion's iss");
        }
        Optional<UUID> id = WorkloadIdentityService.parseClientId(iss);
        if (id.isEmpty()) {
            return invalid("iss is not a client id");
        }
        Optional<WorkloadIdentity> identity = identities.find(id.get().toString());
        if (identity.isEmpty()) {
            return invalid("unknown client");
        }
        Optional<RegisteredPublicKey> key = identity.get().publicKey();
        if (key.isEmpty()) {
            return invalid("client has no registered public key");
        }

        // The algorithm is the key's, never the header's choice.
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!key.get().algorithms().contains(alg)) {
            return invalid("alg " + FormParameters.printable(String.valueOf(alg)) + " not allowed for the registered key " + key.get().algorithms());
        }
        try {
            if (!jwt.verify(key.get().verifier())) {
                return invalid("signature does not verify with the registered key");
            }
        } catch (JOSEException | RuntimeException e) {
            return invalid("signature cannot be verified with the registered key");
        }

        // Claims, against an injected clock.
        Instant now = clock.instant();
        Date expDate = claims.getExpirationTime();
        if (expDate == null) {
            return invalid("exp is missing");
        }
        Instant exp = expDate.toInstant();
        if (!now.isBefore(exp.plus(policy.clockSkew()))) {
            return invalid("assertion expired");
        }
        if (exp.isAfter(now.plus(policy.maxAssertionLifetime()).plus(policy.clockSkew()))) {
            return invalid("exp is more than " + policy.maxAssertionLifetime().toMinutes() + " minutes ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(policy.clockSkew()))) {
            return invalid("assertion not yet valid (nbf)");
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(policy.clockSkew()))) {
            return invalid("assertion issued in the future (iat)");
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(policy.assertionAudiences()::contains)) {
            return invalid("aud does not name this token endpoint");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank() || jti.length() > MAX_JTI_CHARS) {
            return invalid("jti is missing, empty or longer than " + MAX_JTI_CHARS + " characters");
        }
        return switch (replays.record(iss, jti, exp.plus(policy.clockSkew()), now)) {
            case FIRST_USE -> new Result.Valid(identity.get());
            case REPLAYED -> invalid("jti already used (replayed assertion)");
            case FULL -> new Result.Unavailable("replay cache full");
        };
    }

    private static Result invalid(String reason) {
        return new Result.Invalid(reason);
    }
}
