package dev.bulwark.identity.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;

import java.time.Instant;

/**
 * One key of the signing keyset, decoded and ready. Only the primary holds a signer (its private
 * key); a verify-only key has none, in memory or at rest.
 *
 * @param kid          RFC 7638 thumbprint of the public key
 * @param retiredAt    when it stopped being primary (null for the primary)
 * @param publicJwk    the public key with kid, use sig, alg ES256, as published in the JWKS
 * @param verifyHeader the header handed to the verifier: alg ES256 and this kid, nothing else, so
 *                     what Nimbus checks is Bulwark's pinned policy, not what the token claimed
 * @param signer       the primary's signer, null for a verify-only key
 */
record SigningKey(String kid, SigningKeyStatus status, Instant createdAt, Instant retiredAt, ECKey publicJwk,
                  JWSHeader verifyHeader, ECDSAVerifier verifier, JWSSigner signer) {

    SigningKey {
        if ((status == SigningKeyStatus.PRIMARY) != (signer != null) || (status == SigningKeyStatus.PRIMARY) != (retiredAt == null)) {
            throw new IllegalArgumentException("a primary key has a signer and no retirement time; a verify-only key the opposite");
        }
    }

    static JWSHeader headerFor(String kid) {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build();
    }

    /**
     * The instant from which no token this key signed can be acceptable: a token signed just before
     * retirement expires {@link TokenService#LIFETIME} later and is accepted for {@link TokenService#LEEWAY}
     * after that. The primary is trusted indefinitely.
     */
    Instant trustedUntil() {
        return retiredAt == null ? Instant.MAX : retiredAt.plus(TokenService.LIFETIME).plus(TokenService.LEEWAY);
    }

    boolean trustedAt(Instant now) {
        return retiredAt == null || now.isBefore(trustedUntil());
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + status.wireName() + ", created " + createdAt
                + (retiredAt == null ? "" : ", retired " + retiredAt) + "]";
    }
}
