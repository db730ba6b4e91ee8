package dev.bulwark.crypto;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** A client SSLContext that trusts exactly the certificates in a PEM text (Bulwark's self-signed one, or a private CA). */
public final class PemTrust {
    private PemTrust() {
    }

    /** @throws IllegalArgumentException when the text holds no certificate or cannot be read */
    public static SSLContext forCertificates(String pem) {
        try {
            return forCertificates(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificate(s): " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when there is no certificate or they cannot be trust anchors */
    public static SSLContext forCertificates(Collection<? extends Certificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no certificate found in the PEM text");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                ks.setCertificateEntry("trusted-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot use the certificate(s) as trust anchors: " + e.getMessage(), e);
        }
    }
}
