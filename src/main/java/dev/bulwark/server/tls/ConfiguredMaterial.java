package dev.bulwark.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The certificate chain and key an operator configured. Everything that would otherwise fail later, in some
 * client's handshake, is checked here and stops the boot with a message naming the file.
 */
final class ConfiguredMaterial {
    /** Worth a warning at every start: renewing takes a human, and this is their notice. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final System.Logger LOG = System.getLogger(ConfiguredMaterial.class.getName());

    private ConfiguredMaterial() {
    }

    static TlsMaterial load(Path certificateFile, Path keyFile, Instant now) {
        String certificateSource = "TLS certificate file " + certificateFile;
        String keySource = "TLS private key file " + keyFile;
        List<X509Certificate> chain = Pem.readCertificates(Pem.readFile(certificateFile, certificateSource), certificateSource);
        PrivateKey key = Pem.readPrivateKey(Pem.readFile(keyFile, keySource), keySource);

        X509Certificate leaf = chain.getFirst();
        MaterialChecks.requireStrongKey(leaf, certificateSource);
        MaterialChecks.requireServerUsage(leaf, certificateSource);
        MaterialChecks.requireKeyMatches(key, leaf, keySource, certificateSource);
        for (int i = 0; i < chain.size(); i++) {
            String which = i == 0 ? "the server certificate in " + certificateFile
                    : "certificate " + (i + 1) + " of the chain in " + certificateFile;
            MaterialChecks.requireValidAt(chain.get(i), now, which);
            if (i + 1 < chain.size()) {
                requireIssuedBy(chain.get(i), chain.get(i + 1), i, certificateFile);
            }
        }
        warnIfReadableByOthers(keyFile);
        if (now.plus(EXPIRY_WARNING).isAfter(leaf.getNotAfter().toInstant())) {
            LOG.log(System.Logger.Level.WARNING, "TLS: the certificate in {0} expires on {1}; renew it",
                    certificateFile, leaf.getNotAfter().toInstant());
        }
        return new TlsMaterial(Pem.encodeCertificates(chain), Pem.encodePrivateKey(key), Fingerprint.sha256(leaf), false);
    }

    /** Clients build the path from the order served; a shuffled or foreign chain fails there, so catch it here. */
    private static void requireIssuedBy(X509Certificate subject, X509Certificate issuer, int index, Path file) {
        try {
            subject.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("certificate " + (index + 2) + " in " + file + " did not issue certificate "
                    + (index + 1) + "; list the server certificate first, then each issuer in order", e);
        }
    }

    /** Not fatal (a key shared with a service group is a deliberate choice), but never silent. */
    private static void warnIfReadableByOthers(Path keyFile) {
        if (Files.getFileAttributeView(keyFile, PosixFileAttributeView.class) == null) {
            return;
        }
        try {
            if (Files.getPosixFilePermissions(keyFile).contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(System.Logger.Level.WARNING, "TLS: {0} is readable by every user on this machine; chmod 600 it",
                        keyFile);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS: cannot read the permissions of " + keyFile, e);
        }
    }
}
