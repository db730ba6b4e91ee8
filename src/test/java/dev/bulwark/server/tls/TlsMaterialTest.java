package dev.bulwark.server.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsMaterialTest {
    @TempDir
    Path home;

    private TlsMaterial generate(List<String> extraNames) {
        return TlsMaterial.loadOrGenerate(home, null, null, extraNames);
    }

    private Path keyFile() {
        return home.resolve("tls").resolve(SelfSignedMaterial.KEY_FILE);
    }

    private Path certificateFile() {
        return home.resolve("tls").resolve(SelfSignedMaterial.CERTIFICATE_FILE);
    }

    private static List<String> subjectAlternativeNames(X509Certificate certificate) throws Exception {
        return certificate.getSubjectAlternativeNames().stream().map(entry -> (String) entry.get(1)).toList();
    }

    // --- generated certificate -----------------------------------------------------------------------------

    @Test
    void generatedCertificateIsReusedOnTheNextRun() throws Exception {
        TlsMaterial first = generate(List.of());
        String storedKey = Files.readString(keyFile());

        TlsMaterial second = generate(List.of());

        assertThat(second.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(second.privateKeyPem()).isEqualTo(first.privateKeyPem());
        assertThat(Files.readString(keyFile())).isEqualTo(storedKey);
        assertThat(first.generated()).isTrue();
        assertThat(second.generated()).isTrue();
    }

    @Test
    void generatedKeyFileIsReadableByTheOwnerOnlyInAPrivateDirectory() throws Exception {
        generate(List.of());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("tls")))).isEqualTo("rwx------");
        assertThat(Files.list(home.resolve("tls")).map(path -> path.getFileName().toString()))
                .containsExactlyInAnyOrder(SelfSignedMaterial.KEY_FILE, SelfSignedMaterial.CERTIFICATE_FILE);
    }

    @Test
    void generatedCertificateIsEcdsaP256ForLocalhostLoopbackAndExtraNames() throws Exception {
        TlsMaterial material = generate(List.of("Bulwark.Example.com", "10.0.0.7"));
        X509Certificate certificate = material.certificate();

        assertThat(subjectAlternativeNames(certificate))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "bulwark.example.com", "10.0.0.7");
        assertThat(certificate.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) certificate.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(390)));
        assertThat(Files.readString(certificateFile())).isEqualTo(material.certificatePem());
    }

    @Test
    void aNameGivenTwiceOrInAnotherSpellingIsCoveredOnce() throws Exception {
        List<String> names = subjectAlternativeNames(generate(List.of("::1", "LOCALHOST", "0:0:0:0:0:0:0:1")).certificate());

        assertThat(names).doesNotHaveDuplicates().contains("localhost", "0:0:0:0:0:0:0:1");
    }

    @Test
    void fingerprintIsTheColonSeparatedUpperCaseSha256OfTheCertificate() throws Exception {
        TlsMaterial material = generate(List.of());

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.certificate().getEncoded());
        assertThat(material.sha256Fingerprint())
                .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    @Test
    void aNewHostNameGetsANewCertificateThatIsThenReused() throws Exception {
        TlsMaterial before = generate(List.of());

        TlsMaterial widened = generate(List.of("ai.internal.example"));
        TlsMaterial again = generate(List.of("ai.internal.example"));

        assertThat(widened.sha256Fingerprint()).isNotEqualTo(before.sha256Fingerprint());
        assertThat(subjectAlternativeNames(widened.certificate())).contains("ai.internal.example", "localhost");
        assertThat(again.sha256Fingerprint()).isEqualTo(widened.sha256Fingerprint());
    }

    @Test
    void storedCertificateIsReplacedWhenExpiredOrAboutToExpire() {
        Instant now = Instant.now();
        for (Duration age : List.of(Duration.ofDays(400), Duration.ofDays(380))) {
            Clock past = Clock.fixed(now.minus(age), ZoneOffset.UTC);
            TlsMaterial old = TlsMaterial.loadOrGenerate(home, null, null, List.of(), past);

            TlsMaterial current = generate(List.of());

            assertThat(current.sha256Fingerprint()).as("aged %s", age).isNotEqualTo(old.sha256Fingerprint());
            assertThat(current.certificate().getNotAfter().toInstant()).isAfter(now.plus(Duration.ofDays(390)));
        }
    }

    @Test
    void storedKeyThatOthersCouldReadIsReplacedByANewKey() throws Exception {
        TlsMaterial exposed = generate(List.of());
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        TlsMaterial replaced = generate(List.of());

        assertThat(replaced.sha256Fingerprint()).isNotEqualTo(exposed.sha256Fingerprint());
        assertThat(replaced.privateKeyPem()).isNotEqualTo(exposed.privateKeyPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile()))).isEqualTo("rw-------");
    }

    @Test
    void damagedOrHalfStoredMaterialIsReplaced() throws Exception {
        TlsMaterial original = generate(List.of());
        Files.writeString(certificateFile(), "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        TlsMaterial afterDamage = generate(List.of());
        assertThat(afterDamage.sha256Fingerprint()).isNotEqualTo(original.sha256Fingerprint());

        Files.delete(keyFile());
        TlsMaterial afterLoss = generate(List.of());
        assertThat(afterLoss.sha256Fingerprint()).isNotEqualTo(afterDamage.sha256Fingerprint());
        assertThat(keyFile()).exists();
    }

    @Test
    void storedKeyOfAnotherCertificateIsReplaced() throws Exception {
        TlsMaterial original = generate(List.of());
        Files.writeString(keyFile(), Pem.encodePrivateKey(TestCertificates.ec("secp256r1").getPrivate()));

        TlsMaterial replaced = generate(List.of());

        assertThat(replaced.sha256Fingerprint()).isNotEqualTo(original.sha256Fingerprint());
    }

    @Test
    void anExtraHostNameThatIsNeitherDnsNorIpIsAConfigurationError() {
        for (String bad : List.of("bad name", "under_score.example", "-leading.example", "")) {
            assertThatThrownBy(() -> generate(List.of(bad))).as("'%s'", bad).isInstanceOf(TlsConfigurationException.class);
        }
        assertThat(home.resolve("tls")).doesNotExist();
    }

    // --- configured certificate ----------------------------------------------------------------------------

    @Test
    void configuredPemFilesAreUsedAndNothingIsGenerated() throws Exception {
        for (KeyPair keys : List.of(TestCertificates.rsa(2048), TestCertificates.ec("secp256r1"), TestCertificates.ec("secp384r1"))) {
            TestCertificates.Pair pair = TestCertificates.selfSigned(keys);
            Path[] files = pair.writeTo(home.resolve("operator"));

            TlsMaterial material = TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of("ignored.example"));

            assertThat(material.generated()).isFalse();
            assertThat(material.certificate()).isEqualTo(pair.certificate());
            assertThat(material.sha256Fingerprint()).isEqualTo(Fingerprint.sha256(pair.certificate()));
            assertThat(material.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(home.resolve("tls")).doesNotExist();
    }

    @Test
    void traditionalRsaAndEcKeyFilesAreAcceptedAndServedAsPkcs8() throws Exception {
        for (KeyPair keys : List.of(TestCertificates.rsa(2048), TestCertificates.ec("secp256r1"))) {
            TestCertificates.Pair pair = TestCertificates.selfSigned(keys);
            Path[] files = pair.writeTo(home.resolve("traditional"));
            String traditional = traditionalPem(keys);
            assertThat(traditional).containsPattern("BEGIN (RSA|EC) PRIVATE KEY");
            Files.writeString(files[1], traditional);

            TlsMaterial material = TlsMaterial.loadOrGenerate(null, files[0], files[1], List.of());

            assertThat(material.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        }
    }

    /** PKCS#1 for RSA; for EC, SEC1 with the curve named inside, as openssl writes it. */
    private static String traditionalPem(KeyPair keys) throws Exception {
        if ("RSA".equals(keys.getPrivate().getAlgorithm())) {
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(keys.getPrivate());
            }
            return pem.toString();
        }
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ECPrivateKey sec1 = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
        byte[] der = new ECPrivateKey(256, sec1.getKey(), pkcs8.getPrivateKeyAlgorithm().getParameters()).getEncoded();
        return "-----BEGIN EC PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END EC PRIVATE KEY-----\n";
    }

    @Test
    void aCertificateWithoutItsKeyIsAConfigurationError() throws Exception {
        Path[] files = TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).writeTo(home.resolve("operator"));

        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], null, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining(files[0].toString())
                .hasMessageContaining("without its private key file");
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, null, files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("without its certificate file");
        assertThat(home.resolve("tls")).doesNotExist();
    }

    @Test
    void garbagePemIsAClearError() throws Exception {
        Path[] files = TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).writeTo(home.resolve("operator"));
        Path certificate = files[0];
        Path key = files[1];
        String goodKey = Files.readString(key);

        Files.writeString(certificate, "hello, I am not a certificate\n");
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, certificate, key, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("TLS certificate file " + certificate)
                .hasMessageContaining("is not PEM text");

        Files.writeString(certificate, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, certificate, key, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("TLS certificate file " + certificate)
                .hasMessageContaining("is not a readable PEM certificate");

        Files.write(certificate, new byte[] {0x30, (byte) 0x82, 0x01, 0x00, 0x00});
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, certificate, key, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("is not PEM text").hasMessageContaining("DER");

        TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).writeTo(home.resolve("operator"));
        Files.writeString(key, goodKey.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\n%%%%"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, certificate, key, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("TLS private key file " + key)
                .hasMessageNotContaining(goodKey.substring(30, 60));
    }

    @Test
    void missingFilesAreNamed() {
        Path nowhere = home.resolve("nowhere.pem");
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, nowhere, nowhere, List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("TLS certificate file " + nowhere + " does not exist");
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateIsRefused() throws Exception {
        Path[] files = TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).writeTo(home.resolve("operator"));
        Files.writeString(files[1], Pem.encodePrivateKey(TestCertificates.ec("secp256r1").getPrivate()));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("does not belong to the certificate");

        Files.writeString(files[1], Pem.encodePrivateKey(TestCertificates.rsa(2048).getPrivate()));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() throws Exception {
        Instant now = Instant.now();
        KeyPair keys = TestCertificates.ec("secp256r1");
        Path[] expired = TestCertificates.selfSigned(keys, now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(1)), true)
                .writeTo(home.resolve("expired"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, expired[0], expired[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("expired on");

        Path[] future = TestCertificates.selfSigned(keys, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(90)), true)
                .writeTo(home.resolve("future"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, future[0], future[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("is not valid before");
    }

    @Test
    void anRsaKeyUnder2048BitsIsRefused() throws Exception {
        Path[] files = TestCertificates.selfSigned(TestCertificates.rsa(1024)).writeTo(home.resolve("weak"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("RSA key of 1024 bits; at least 2048");
    }

    @Test
    void aClientOnlyCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Path[] files = TestCertificates.selfSigned(TestCertificates.ec("secp256r1"), now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), false).writeTo(home.resolve("client"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("lacks serverAuth");
    }

    @Test
    void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
        KeyPair keys = TestCertificates.ec("secp256r1");
        Path[] files = TestCertificates.selfSigned(keys).writeTo(home.resolve("encrypted"));
        StringWriter encrypted = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(encrypted)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                            // A provider instance for this builder only: nothing is registered JVM-wide.
                            .setProvider(new BouncyCastleProvider())
                            .setPassword("passphrase".toCharArray()).build()));
        }
        Files.writeString(files[1], encrypted.toString());

        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("encrypted private key")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void keyAndCertificateFilesSwappedAreExplained() throws Exception {
        Path[] files = TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).writeTo(home.resolve("swapped"));
        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[1], files[0], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("give the private key in its own file");
    }

    @Test
    void aChainInTheWrongOrderIsRefused() throws Exception {
        TestCertificates.Pair server = TestCertificates.selfSigned(TestCertificates.ec("secp256r1"));
        TestCertificates.Pair unrelated = TestCertificates.selfSigned(TestCertificates.ec("secp256r1"));
        Path[] files = server.writeTo(home.resolve("chain"));
        Files.writeString(files[0], server.certificatePem() + unrelated.certificatePem());

        assertThatThrownBy(() -> TlsMaterial.loadOrGenerate(home, files[0], files[1], List.of()))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("did not issue certificate 1");
    }

    // --- the record ----------------------------------------------------------------------------------------

    @Test
    void toStringNeverShowsTheKey() {
        TlsMaterial material = generate(List.of());
        String keyBody = material.privateKeyPem().lines().skip(1).findFirst().orElseThrow();

        assertThat(material.toString())
                .contains(material.sha256Fingerprint())
                .contains("redacted")
                .doesNotContain("PRIVATE KEY")
                .doesNotContain(keyBody);
    }

    @Test
    void aRecordWithAForeignKeyOrAStaleFingerprintCannotBeMade() throws Exception {
        TestCertificates.Pair pair = TestCertificates.selfSigned(TestCertificates.ec("secp256r1"));
        String otherKey = Pem.encodePrivateKey(TestCertificates.ec("secp256r1").getPrivate());
        String fingerprint = Fingerprint.sha256(pair.certificate());

        assertThatThrownBy(() -> new TlsMaterial(pair.certificatePem(), otherKey, fingerprint, false))
                .isInstanceOf(TlsConfigurationException.class);
        String staleFingerprint = Fingerprint.sha256(TestCertificates.selfSigned(TestCertificates.ec("secp256r1")).certificate());
        assertThatThrownBy(() -> new TlsMaterial(pair.certificatePem(), pair.privateKeyPem(), staleFingerprint, false))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("is not the fingerprint of the certificate");
        assertThat(new TlsMaterial(pair.certificatePem(), pair.privateKeyPem(), fingerprint, false).sha256Fingerprint())
                .isEqualTo(fingerprint);
    }
}
