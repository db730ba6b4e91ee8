package dev.bulwark.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Issues the self-signed ECDSA P-256 certificate Bulwark serves when no certificate is configured. Only the
 * JDK's own providers are used for keys and signatures; BouncyCastle only assembles the certificate structure,
 * which the JDK has no public API for.
 */
final class SelfSignedCertificate {
    /**
     * 397 days: the longest validity every client accepts for a TLS server certificate (Apple's and the CA/Browser
     * Forum's limit is 398), so no client refuses the certificate for its lifetime alone.
     */
    static final Duration VALIDITY = Duration.ofDays(397);
    /** Back-dated so a client whose clock is a little behind does not see a not-yet-valid certificate. */
    static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    record Issued(X509Certificate certificate, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "Issued[subject=" + certificate.getSubjectX500Principal() + ", privateKey=(redacted)]";
        }
    }

    private SelfSignedCertificate() {
    }

    /** A new key pair and a certificate for exactly these names (DNS names and IP literals, as from HostNames). */
    static Issued issue(List<String> names, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();

            X500Name subject = new X500Name("CN=Bulwark self-signed");
            // 127 random bits, top bit kept clear: positive, unique and unpredictable as RFC 5280 and CA/B ask.
            BigInteger serial = new BigInteger(127, RANDOM).add(BigInteger.ONE);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames(names))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));

            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            return new Issued(certificate, keys.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            // P-256 and SHA256withECDSA are in every JDK: failing here means a broken runtime, not bad configuration.
            throw new IllegalStateException("cannot generate a self-signed TLS certificate", e);
        }
    }

    private static GeneralNames subjectAlternativeNames(List<String> names) throws CertIOException {
        GeneralName[] general = new GeneralName[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            general[i] = HostNames.isIpLiteral(name)
                    ? new GeneralName(GeneralName.iPAddress, name)
                    : new GeneralName(GeneralName.dNSName, name);
        }
        return new GeneralNames(general);
    }
}
