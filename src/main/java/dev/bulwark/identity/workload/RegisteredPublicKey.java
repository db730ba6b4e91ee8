package dev.bulwark.identity.workload;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.math.BigInteger;
import java.text.ParseException;
import java.util.Set;

/**
 * The public key a workload registers for {@code private_key_jwt}: an EC P-256 key (ES256) or an RSA
 * key of 2048 to 8192 bits (RS256, PS256). The algorithms are pinned by the key type here, never
 * taken from a token's header. Only the members that define the key are kept ({@code kty}, the key
 * itself, {@code kid}, {@code alg}, {@code use}); {@code x5u}, {@code x5c} and the like are dropped,
 * so nothing stored can point trust elsewhere.
 */
public final class RegisteredPublicKey {
    static final int MAX_JSON_CHARS = 8 * 1024;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 8192;

    private final JWK jwk;
    private final Set<JWSAlgorithm> algorithms;
    private final String thumbprint;

    private RegisteredPublicKey(JWK jwk, Set<JWSAlgorithm> algorithms, String thumbprint) {
        this.jwk = jwk;
        this.algorithms = Set.copyOf(algorithms);
        this.thumbprint = thumbprint;
    }

    /** Parses and validates a public JWK given as JSON; every refusal is a 400 with a reason. */
    public static RegisteredPublicKey parse(String json) {
        if (json == null || json.isBlank()) {
            throw invalid("publicKeyJwk is empty");
        }
        if (json.length() > MAX_JSON_CHARS) {
            throw invalid("publicKeyJwk is larger than " + MAX_JSON_CHARS + " characters");
        }
        JWK parsed;
        try {
            parsed = JWK.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw invalid("publicKeyJwk is not a valid JWK: " + e.getMessage());
        }
        if (parsed.isPrivate()) {
            throw invalid("publicKeyJwk contains private key material; register the public key only "
                    + "and keep the private key with the workload");
        }
        if (parsed.getKeyUse() != null && !KeyUse.SIGNATURE.equals(parsed.getKeyUse())) {
            throw invalid("publicKeyJwk has \"use\":\"" + parsed.getKeyUse().identifier() + "\"; a client assertion key must be \"sig\"");
        }
        if (parsed.getKeyOperations() != null && !parsed.getKeyOperations().contains(KeyOperation.VERIFY)) {
            throw invalid("publicKeyJwk has key_ops without \"verify\"");
        }
        JWK kept;
        Set<JWSAlgorithm> allowed;
        if (KeyType.EC.equals(parsed.getKeyType())) {
            ECKey ec = (ECKey) parsed;
            if (!Curve.P_256.equals(ec.getCurve())) {
                throw invalid("EC keys must be on curve P-256 (for ES256), got " + ec.getCurve());
            }
            allowed = Set.of(JWSAlgorithm.ES256);
            kept = new ECKey.Builder(ec.getCurve(), ec.getX(), ec.getY())
                    .keyID(ec.getKeyID()).algorithm(ec.getAlgorithm()).keyUse(ec.getKeyUse()).build();
        } else if (KeyType.RSA.equals(parsed.getKeyType())) {
            RSAKey rsa = (RSAKey) parsed;
            int bits = rsa.size();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw invalid("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits, got " + bits);
            }
            BigInteger e = rsa.getPublicExponent().decodeToBigInteger();
            if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0) {
                throw invalid("RSA public exponent must be odd and at least 3");
            }
            allowed = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);
            kept = new RSAKey.Builder(rsa.getModulus(), rsa.getPublicExponent())
                    .keyID(rsa.getKeyID()).algorithm(rsa.getAlgorithm()).keyUse(rsa.getKeyUse()).build();
        } else {
            throw invalid("publicKeyJwk must be an EC P-256 or RSA key, got kty " + parsed.getKeyType());
        }
        if (parsed.getAlgorithm() != null) {
            JWSAlgorithm declared = JWSAlgorithm.parse(parsed.getAlgorithm().getName());
            if (!allowed.contains(declared)) {
                throw invalid("publicKeyJwk declares alg " + declared + ", which is not allowed for its key type; allowed: " + allowed);
            }
            allowed = Set.of(declared);
        }
        try {
            return new RegisteredPublicKey(kept, allowed, kept.computeThumbprint().toString());
        } catch (JOSEException e) {
            throw invalid("cannot compute the key's thumbprint: " + e.getMessage());
        }
    }

    /** The stored, public-only JWK. */
    public JWK jwk() {
        return jwk;
    }

    public String toJson() {
        return jwk.toJSONString();
    }

    /** The JWS algorithms a client assertion signed by this key may use. */
    public Set<JWSAlgorithm> algorithms() {
        return algorithms;
    }

    /** RFC 7638 SHA-256 thumbprint, base64url: a short, stable name for the key. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A verifier bound to this key. Nimbus's verifiers refuse any {@code crit} header they do not know. */
    JWSVerifier verifier() throws JOSEException {
        if (jwk instanceof ECKey ec) {
            return new ECDSAVerifier(ec);
        }
        return new RSASSAVerifier((RSAKey) jwk);
    }

    private static WorkloadIdentityValidationException invalid(String message) {
        return new WorkloadIdentityValidationException("InvalidPublicKey", message);
    }

    @Override
    public String toString() {
        return "RegisteredPublicKey[" + jwk.getKeyType() + ", " + thumbprint + "]";
    }
}
