package dev.bulwark.server.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The SHA-256 fingerprint of a certificate in the form browsers show: colon-separated upper-case hex. */
final class Fingerprint {
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprint() {
    }

    static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return COLON_HEX.formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // SHA-256 is mandatory in every JDK and a parsed certificate always re-encodes: this is a broken runtime.
            throw new IllegalStateException("cannot compute a certificate fingerprint", e);
        }
    }
}
