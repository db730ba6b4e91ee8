package dev.bulwark.server.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads and writes the PEM that TLS material travels in. Reading accepts what operators actually have
 * (PKCS#8, PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY", certificate chains); writing always produces
 * PKCS#8 keys and plain certificate blocks, so the engines downstream see one format.
 *
 * <p>Error messages name the source and never quote the input: a key file's content must not reach a log.
 */
final class Pem {
    /** Generous for a long chain; stops a mistyped path to a large file from being read into memory. */
    static final long MAX_FILE_BYTES = 1 << 20;

    private static final Base64.Encoder BASE64_LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    /** The certificates of a PEM text in order, the server's own first; anything else in it is an error. */
    static List<X509Certificate> readCertificates(String pem, String source) {
        requirePemText(pem, source);
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new TlsConfigurationException(source + " holds a " + describe(object)
                            + " where only certificates (BEGIN CERTIFICATE) are expected"
                            + (isPrivateKey(object) ? "; give the private key in its own file" : ""));
                }
                certificates.add(toCertificate(holder.getEncoded(), source));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsConfigurationException configuration) {
                throw configuration;
            }
            // BouncyCastle signals bad base64 or ASN.1 with assorted runtime exceptions; they all mean "not PEM".
            throw new TlsConfigurationException(source + " is not a readable PEM certificate ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigurationException(source + " contains no PEM certificate (BEGIN CERTIFICATE)");
        }
        return List.copyOf(certificates);
    }

    /** The single private key of a PEM text; encrypted keys are refused because Bulwark has no passphrase to use. */
    static PrivateKey readPrivateKey(String pem, String source) {
        requirePemText(pem, source);
        PrivateKeyInfo found = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                PrivateKeyInfo info = switch (object) {
                    case PrivateKeyInfo pkcs8 -> pkcs8;
                    case PEMKeyPair traditional -> traditional.getPrivateKeyInfo();
                    case PEMEncryptedKeyPair ignored -> throw encrypted(source);
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(source);
                    default -> throw new TlsConfigurationException(source + " holds a " + describe(object)
                            + " where only a private key is expected");
                };
                if (found != null) {
                    throw new TlsConfigurationException(source + " holds more than one private key; keep exactly one");
                }
                found = info;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof TlsConfigurationException configuration) {
                throw configuration;
            }
            // The message is deliberately the exception's type only: a parser message could echo key bytes.
            throw new TlsConfigurationException(source + " is not a readable PEM private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (found == null) {
            throw new TlsConfigurationException(source + " contains no PEM private key (BEGIN PRIVATE KEY)");
        }
        return toPrivateKey(found, source);
    }

    static String encodeCertificates(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a parsed certificate could not be re-encoded", e);
            }
        }
        return pem.toString();
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY"), the one key format both the OpenSSL and the JDK engine read. */
    static String encodePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("private key is not exportable as PKCS#8 (format " + key.getFormat() + ")");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + BASE64_LINES.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static void requirePemText(String pem, String source) {
        if (!pem.contains("-----BEGIN ")) {
            throw new TlsConfigurationException(source + " is not PEM text (no -----BEGIN line); if it is DER, convert"
                    + " it with openssl x509 -inform der / openssl pkey -inform der");
        }
    }

    private static X509Certificate toCertificate(byte[] der, String source) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new TlsConfigurationException(source + " holds a certificate the JDK cannot parse: " + e.getMessage(), e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info, String source) {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String keyFactory;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            keyFactory = "RSA";
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            keyFactory = "EC";
        } else {
            // Both engines and the TLS 1.2 suites in TlsPolicy are built around ECDSA and RSA certificates only.
            throw new TlsConfigurationException(source + " holds a private key of type " + algorithm.getId()
                    + "; only ECDSA (P-256 recommended) and RSA (2048 bits or more) keys are supported");
        }
        try {
            return KeyFactory.getInstance(keyFactory).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException(source + " holds a malformed " + keyFactory + " private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static TlsConfigurationException encrypted(String source) {
        return new TlsConfigurationException(source + " holds an encrypted private key; Bulwark needs it unencrypted"
                + " (openssl pkey -in encrypted.pem -out key.pem) and protected by file permissions instead");
    }

    private static boolean isPrivateKey(Object object) {
        return object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                || object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo;
    }

    private static String describe(Object object) {
        return isPrivateKey(object) ? "private key" : "PEM object of type " + object.getClass().getSimpleName();
    }

    /**
     * Reads a PEM file with an error that says which file and what went wrong. ISO-8859-1 decoding never fails,
     * so a binary (DER) file reaches the clearer "not PEM text" message instead of a charset error.
     */
    static String readFile(Path file, String source) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TlsConfigurationException(source + " is " + size + " bytes; a PEM certificate chain or key is"
                        + " far smaller (limit " + MAX_FILE_BYTES + ")");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(source + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigurationException(source + " cannot be read by this user", e);
        } catch (IOException e) {
            throw new TlsConfigurationException(source + " cannot be read: " + e.getMessage(), e);
        }
    }
}
