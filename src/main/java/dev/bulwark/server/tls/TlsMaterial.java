package dev.bulwark.server.tls;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Certificate (chain) and private key as PEM, and the server certificate's SHA-256 fingerprint.
 *
 * <p>{@code privateKeyPem} is always unencrypted PKCS#8 and {@code certificatePem} the server certificate first,
 * then its issuers. {@code generated} is true for Bulwark's own self-signed certificate, whether made on this
 * run or reused from an earlier one, and false for an operator's files. {@link #toString()} never prints the key.
 */
public record TlsMaterial(String certificatePem, String privateKeyPem, String sha256Fingerprint, boolean generated) {

    public TlsMaterial {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
        // A record that exists is servable: the key is the certificate's, and the fingerprint operators compare
        // against is the served certificate's, never a stale one.
        X509Certificate certificate = Pem.readCertificates(certificatePem, "TLS certificate").getFirst();
        MaterialChecks.requireKeyMatches(Pem.readPrivateKey(privateKeyPem, "TLS private key"), certificate,
                "TLS private key", "TLS certificate");
        String actual = Fingerprint.sha256(certificate);
        if (!actual.equals(sha256Fingerprint)) {
            throw new TlsConfigurationException("sha256Fingerprint " + sha256Fingerprint
                    + " is not the fingerprint of the certificate (" + actual + ")");
        }
    }

    /**
     * The material every listener serves. With {@code certFile} and {@code keyFile} both given, those files are
     * loaded and checked; with both null, the self-signed certificate under {@code home/tls/} is reused, or
     * generated for localhost, 127.0.0.1, ::1, this machine's host name and {@code extraHostNames} (which apply
     * to the generated certificate only). Exactly one of them null, unreadable or malformed PEM, a key that does
     * not match its certificate, an expired certificate or an RSA key under 2048 bits throw
     * {@link TlsConfigurationException}.
     */
    public static TlsMaterial loadOrGenerate(Path home, Path certFile, Path keyFile, List<String> extraHostNames) {
        return loadOrGenerate(home, certFile, keyFile, extraHostNames, Clock.systemUTC());
    }

    static TlsMaterial loadOrGenerate(Path home, Path certFile, Path keyFile, List<String> extraHostNames, Clock clock) {
        Instant now = clock.instant();
        if (certFile != null && keyFile != null) {
            return ConfiguredMaterial.load(certFile, keyFile, now);
        }
        if (certFile != null) {
            throw new TlsConfigurationException("a TLS certificate file (" + certFile + ") is configured without its"
                    + " private key file; configure both, or neither to use a generated self-signed certificate");
        }
        if (keyFile != null) {
            throw new TlsConfigurationException("a TLS private key file (" + keyFile + ") is configured without its"
                    + " certificate file; configure both, or neither to use a generated self-signed certificate");
        }
        Objects.requireNonNull(home, "home is needed to keep a generated certificate");
        List<String> names = HostNames.forThisMachine(extraHostNames == null ? List.of() : extraHostNames);
        return SelfSignedMaterial.reuseOrGenerate(home, names, now);
    }

    /** The server certificate (the first of the chain). */
    public X509Certificate certificate() {
        return Pem.readCertificates(certificatePem, "TLS certificate").getFirst();
    }

    @Override
    public String toString() {
        return "TlsMaterial[subject=" + certificate().getSubjectX500Principal().getName()
                + ", sha256Fingerprint=" + sha256Fingerprint + ", generated=" + generated + ", privateKeyPem=(redacted)]";
    }
}
