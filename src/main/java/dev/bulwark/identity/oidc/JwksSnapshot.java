package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One issuer's signing keys as last fetched: immutable, swapped whole on refresh. Only public RSA
 * (2048 bits or more) and EC (P-256/384/521) keys with a {@code kid}, usable for signatures, are kept;
 * each carries its ready verifier so the hot path builds nothing.
 *
 * @param issuer    the issuer they belong to
 * @param byKid     keys by {@code kid}; a kid may name more than one key (e.g. one per algorithm)
 * @param fetchedAt when the JWKS was fetched
 */
public record JwksSnapshot(String issuer, Map<String, List<SigningKey>> byKid, Instant fetchedAt) {

    /** Smallest RSA modulus accepted from a JWKS. */
    static final int MIN_RSA_BITS = 2048;

    public JwksSnapshot {
        Map<String, List<SigningKey>> copy = new HashMap<>();
        byKid.forEach((kid, keys) -> copy.put(kid, List.copyOf(keys)));
        byKid = Map.copyOf(copy);
    }

    /**
     * A public key from the JWKS, with what the JWKS said about it.
     *
     * @param kid      its key id
     * @param jwk      the public JWK (private parts, if an issuer ever published any, are dropped)
     * @param verifier Nimbus's verifier for it
     */
    public record SigningKey(String kid, JWK jwk, JWSVerifier verifier) {

        /**
         * Whether this key may verify a token whose header says {@code alg}: the key type and curve must
         * fit the algorithm family (an RSA key never verifies HS256 or ES256), and the JWK's own
         * {@code alg}, when it states one, must be exactly {@code alg}.
         */
        public boolean fits(JWSAlgorithm alg) {
            if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(alg)) {
                return false;
            }
            if (JWSAlgorithm.Family.RSA.contains(alg)) {
                return jwk instanceof RSAKey;
            }
            if (jwk instanceof ECKey ec) {
                return (alg.equals(JWSAlgorithm.ES256) && Curve.P_256.equals(ec.getCurve()))
                        || (alg.equals(JWSAlgorithm.ES384) && Curve.P_384.equals(ec.getCurve()))
                        || (alg.equals(JWSAlgorithm.ES512) && Curve.P_521.equals(ec.getCurve()));
            }
            return false;
        }
    }

    /** Keys named {@code kid} (empty when unknown). */
    public List<SigningKey> keys(String kid) {
        List<SigningKey> k = byKid.get(kid);
        return k == null ? List.of() : k;
    }

    public int size() {
        return byKid.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Keeps the usable signing keys of a parsed JWKS and says why each other key was dropped.
     *
     * @param dropped receives one line per key that was not kept
     */
    static JwksSnapshot of(String issuer, List<JWK> jwks, Instant fetchedAt, List<String> dropped) {
        Map<String, List<SigningKey>> byKid = new HashMap<>();
        for (JWK jwk : jwks) {
            usable(jwk, dropped).ifPresent(k -> byKid.computeIfAbsent(k.kid(), x -> new ArrayList<>()).add(k));
        }
        return new JwksSnapshot(issuer, byKid, fetchedAt);
    }

    private static Optional<SigningKey> usable(JWK jwk, List<String> dropped) {
        String kid = jwk.getKeyID();
        String label = "key " + (kid == null ? "(no kid)" : "'" + kid + "'");
        if (kid == null || kid.isEmpty()) {
            dropped.add(label + ": no kid (tokens are matched by kid only)");
            return Optional.empty();
        }
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            dropped.add(label + ": use is " + jwk.getKeyUse().identifier() + ", not sig");
            return Optional.empty();
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            dropped.add(label + ": key_ops does not include verify");
            return Optional.empty();
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                RSAKey pub = rsa.toPublicJWK();
                if (pub.size() < MIN_RSA_BITS) {
                    dropped.add(label + ": RSA key of " + pub.size() + " bits (minimum " + MIN_RSA_BITS + ")");
                    return Optional.empty();
                }
                return Optional.of(new SigningKey(kid, pub, new RSASSAVerifier(pub)));
            }
            if (jwk instanceof ECKey ec) {
                ECKey pub = ec.toPublicJWK();
                Curve crv = pub.getCurve();
                if (!Curve.P_256.equals(crv) && !Curve.P_384.equals(crv) && !Curve.P_521.equals(crv)) {
                    dropped.add(label + ": EC curve " + crv + " is not P-256/P-384/P-521");
                    return Optional.empty();
                }
                return Optional.of(new SigningKey(kid, pub, new ECDSAVerifier(pub)));
            }
        } catch (JOSEException e) {
            dropped.add(label + ": unusable (" + e.getMessage() + ")");
            return Optional.empty();
        }
        dropped.add(label + ": key type " + jwk.getKeyType() + " is not RSA or EC");
        return Optional.empty();
    }
}
