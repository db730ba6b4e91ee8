package dev.bulwark.server.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** Certificates an operator might configure, good and bad, made in the test so no key material is checked in. */
final class TestCertificates {
    record Pair(X509Certificate certificate, KeyPair keys) {
        String certificatePem() {
            return Pem.encodeCertificates(List.of(certificate));
        }

        String privateKeyPem() {
            return Pem.encodePrivateKey(keys.getPrivate());
        }

        /** Writes cert.pem and key.pem into the directory and returns {certificate file, key file}. */
        Path[] writeTo(Path directory) throws Exception {
            Files.createDirectories(directory);
            Path cert = directory.resolve("cert.pem");
            Path key = directory.resolve("key.pem");
            Files.writeString(cert, certificatePem());
            Files.writeString(key, privateKeyPem());
            return new Path[] {cert, key};
        }

        TlsMaterial material() {
            return new TlsMaterial(certificatePem(), privateKeyPem(), Fingerprint.sha256(certificate), false);
        }
    }

    private TestCertificates() {
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** A self-signed localhost server certificate valid from now for a year. */
    static Pair selfSigned(KeyPair keys) throws Exception {
        Instant now = Instant.now();
        return selfSigned(keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)), true);
    }

    static Pair selfSigned(KeyPair keys, Instant notBefore, Instant notAfter, boolean serverAuth) throws Exception {
        X500Name subject = new X500Name("CN=operator test");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(System.nanoTime()),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                serverAuth ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
        String algorithm = "RSA".equals(keys.getPublic().getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] der = builder.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())).getEncoded();
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        return new Pair(certificate, keys);
    }
}
