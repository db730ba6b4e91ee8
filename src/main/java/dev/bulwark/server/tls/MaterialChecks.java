package dev.bulwark.server.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The checks a certificate and key must pass before a listener serves them. Each failure is a
 * {@link TlsConfigurationException} saying what is wrong, so a bad file stops the boot with a reason instead of
 * surfacing later as an opaque handshake failure in some client.
 */
final class MaterialChecks {
    static final int MIN_RSA_BITS = 2048;
    /** P-256 and up; smaller curves are not offered by either engine's TLS 1.3 stack. */
    static final int MIN_EC_BITS = 256;

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;

    private MaterialChecks() {
    }

    /** ECDSA or RSA of sufficient size: the only certificate types the TLS 1.2 suites in {@link TlsPolicy} can use. */
    static void requireStrongKey(X509Certificate certificate, String source) {
        PublicKey key = certificate.getPublicKey();
        switch (key) {
            case RSAPublicKey rsa when rsa.getModulus().bitLength() < MIN_RSA_BITS -> throw new TlsConfigurationException(
                    source + " has an RSA key of " + rsa.getModulus().bitLength() + " bits; at least " + MIN_RSA_BITS
                            + " are required (an ECDSA P-256 key is smaller and faster)");
            case RSAPublicKey ignored -> { }
            case ECPublicKey ec when ec.getParams().getCurve().getField().getFieldSize() < MIN_EC_BITS ->
                    throw new TlsConfigurationException(source + " has an ECDSA key on a "
                            + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve; use P-256 or P-384");
            case ECPublicKey ignored -> { }
            default -> throw new TlsConfigurationException(source + " has a " + key.getAlgorithm()
                    + " key; only ECDSA (P-256 recommended) and RSA (2048 bits or more) certificates are supported");
        }
    }

    /** The certificate may be used by a TLS server: signing for (EC)DHE, and serverAuth if usages are restricted. */
    static void requireServerUsage(X509Certificate certificate, String source) {
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE])) {
            throw new TlsConfigurationException(source + " has a key usage without digitalSignature, which every"
                    + " forward-secret TLS handshake needs");
        }
        List<String> extendedKeyUsage;
        try {
            extendedKeyUsage = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new TlsConfigurationException(source + " has a malformed extended key usage extension", e);
        }
        if (extendedKeyUsage != null && !extendedKeyUsage.contains(SERVER_AUTH)
                && !extendedKeyUsage.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new TlsConfigurationException(source + " is not a TLS server certificate (its extended key usage"
                    + " lacks serverAuth)");
        }
    }

    static void requireValidAt(X509Certificate certificate, Instant now, String source) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw new TlsConfigurationException(source + " expired on " + certificate.getNotAfter().toInstant()
                    + "; renew it", e);
        } catch (CertificateNotYetValidException e) {
            throw new TlsConfigurationException(source + " is not valid before " + certificate.getNotBefore().toInstant()
                    + " (is the clock right?)", e);
        }
    }

    /**
     * The key belongs to the certificate, proven by signing a random challenge and verifying it with the
     * certificate's public key: the one test that works the same for every key type and encoding.
     */
    static void requireKeyMatches(PrivateKey key, X509Certificate certificate, String keySource, String certificateSource) {
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = keySource + " does not belong to the certificate in " + certificateSource;
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            throw new TlsConfigurationException(mismatch + " (a " + key.getAlgorithm() + " key for a "
                    + publicKey.getAlgorithm() + " certificate)");
        }
        String algorithm = "RSA".equals(publicKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean verified;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            verified = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // Keys on different curves fail here rather than in verify(); same meaning.
            throw new TlsConfigurationException(mismatch, e);
        }
        if (!verified) {
            throw new TlsConfigurationException(mismatch);
        }
    }
}
