package dev.bulwark.server.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The self-signed certificate kept in {@code <home>/tls/}: reused while it is sound, so clients that pinned or
 * trusted its fingerprint keep working across restarts, and replaced (with a new key pair) when it is not.
 *
 * <p>These files are Bulwark's own state, not operator configuration, so a damaged or unsafe pair is replaced
 * with a warning rather than stopping the boot; every replacement is logged with the new fingerprint.
 */
final class SelfSignedMaterial {
    static final String DIRECTORY = "tls";
    static final String CERTIFICATE_FILE = "selfsigned-cert.pem";
    static final String KEY_FILE = "selfsigned-key.pem";
    /** Replaced this long before expiry, so a server that runs for weeks is never caught serving an expired one. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private static final System.Logger LOG = System.getLogger(SelfSignedMaterial.class.getName());
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private SelfSignedMaterial() {
    }

    static TlsMaterial reuseOrGenerate(Path home, List<String> names, Instant now) {
        Path directory = home.resolve(DIRECTORY);
        try {
            OwnerOnlyFiles.ensureDirectory(directory);
            Optional<TlsMaterial> stored = reusable(directory, names, now);
            if (stored.isPresent()) {
                LOG.log(System.Logger.Level.INFO, "TLS: reusing the self-signed certificate in {0}; SHA-256 fingerprint {1}",
                        directory, stored.get().sha256Fingerprint());
                return stored.get();
            }
            SelfSignedCertificate.Issued issued = SelfSignedCertificate.issue(names, now);
            String certificatePem = Pem.encodeCertificates(List.of(issued.certificate()));
            String privateKeyPem = Pem.encodePrivateKey(issued.privateKey());
            // Key first: a crash in between leaves a key without a certificate, which the next start replaces.
            OwnerOnlyFiles.write(directory.resolve(KEY_FILE), privateKeyPem, OwnerOnlyFiles.SECRET);
            OwnerOnlyFiles.write(directory.resolve(CERTIFICATE_FILE), certificatePem, OwnerOnlyFiles.PUBLIC);
            TlsMaterial material = new TlsMaterial(certificatePem, privateKeyPem, Fingerprint.sha256(issued.certificate()), true);
            LOG.log(System.Logger.Level.INFO, "TLS: generated a self-signed certificate for {0}, valid until {1}, stored in"
                    + " {2}; SHA-256 fingerprint {3}", names, issued.certificate().getNotAfter().toInstant(), directory,
                    material.sha256Fingerprint());
            return material;
        } catch (IOException e) {
            throw new TlsConfigurationException("cannot keep the self-signed TLS certificate in " + directory + ": " + e, e);
        }
    }

    /** The stored material if it may be served for these names at this time; otherwise empty, with the reason logged. */
    private static Optional<TlsMaterial> reusable(Path directory, List<String> names, Instant now) throws IOException {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        boolean haveCertificate = Files.exists(certificateFile, LinkOption.NOFOLLOW_LINKS);
        boolean haveKey = Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS);
        if (!haveCertificate && !haveKey) {
            return Optional.empty();
        }
        if (!haveCertificate || !haveKey) {
            return replace("only " + (haveCertificate ? certificateFile : keyFile) + " exists, not its "
                    + (haveCertificate ? "key" : "certificate"));
        }
        if (!OwnerOnlyFiles.isOwnerOnly(keyFile)) {
            // Someone could have copied it: a new key is the only safe answer, not just tighter permissions.
            return replace(keyFile + " was accessible to other users");
        }
        X509Certificate certificate;
        PrivateKey key;
        try {
            String certificateSource = "stored certificate " + certificateFile;
            String keySource = "stored private key " + keyFile;
            certificate = Pem.readCertificates(Pem.readFile(certificateFile, certificateSource), certificateSource).getFirst();
            key = Pem.readPrivateKey(Pem.readFile(keyFile, keySource), keySource);
            MaterialChecks.requireStrongKey(certificate, certificateSource);
            MaterialChecks.requireServerUsage(certificate, certificateSource);
            MaterialChecks.requireKeyMatches(key, certificate, keySource, certificateSource);
        } catch (TlsConfigurationException e) {
            return replace(e.getMessage());
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return replace("it is not valid before " + certificate.getNotBefore().toInstant() + " (the clock went back?)");
        }
        if (now.plus(RENEW_BEFORE).isAfter(certificate.getNotAfter().toInstant())) {
            return replace("it expires on " + certificate.getNotAfter().toInstant());
        }
        List<String> missing = missingNames(certificate, names);
        if (!missing.isEmpty()) {
            return replace("it does not cover " + missing);
        }
        return Optional.of(new TlsMaterial(Pem.encodeCertificates(List.of(certificate)), Pem.encodePrivateKey(key),
                Fingerprint.sha256(certificate), true));
    }

    /** The asked-for names the certificate's subject alternative names do not cover exactly. */
    static List<String> missingNames(X509Certificate certificate, List<String> names) {
        Set<String> dnsNames = new HashSet<>();
        List<byte[]> addresses = new ArrayList<>();
        Collection<List<?>> alternativeNames;
        try {
            alternativeNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new TlsConfigurationException("the stored certificate has malformed subject alternative names", e);
        }
        if (alternativeNames != null) {
            for (List<?> entry : alternativeNames) {
                int type = (Integer) entry.get(0);
                String value = (String) entry.get(1);
                if (type == SAN_DNS) {
                    dnsNames.add(value.toLowerCase(Locale.ROOT));
                } else if (type == SAN_IP) {
                    addresses.add(HostNames.address(value).getAddress());
                }
            }
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            boolean covered = HostNames.isIpLiteral(name)
                    ? containsAddress(addresses, HostNames.address(name))
                    : dnsNames.contains(name.toLowerCase(Locale.ROOT));
            if (!covered) {
                missing.add(name);
            }
        }
        return missing;
    }

    private static boolean containsAddress(List<byte[]> addresses, InetAddress address) {
        return addresses.stream().anyMatch(candidate -> Arrays.equals(candidate, address.getAddress()));
    }

    private static Optional<TlsMaterial> replace(String reason) {
        LOG.log(System.Logger.Level.WARNING, "TLS: not reusing the stored self-signed certificate: {0}; generating a new"
                + " certificate and key", reason);
        return Optional.empty();
    }
}
