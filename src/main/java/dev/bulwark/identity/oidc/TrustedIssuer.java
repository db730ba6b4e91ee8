package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.bulwark.config.ConfigException;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OIDC issuer whose bearer tokens Bulwark accepts, validated when it is built and immutable after.
 * Bad configuration is a {@link ConfigException} naming the issuer and the problem; nothing is
 * quietly corrected.
 *
 * @param name                  the operator's short name for it (config keys, logs)
 * @param issuer                the exact {@code iss} value; also the discovery base URL
 * @param audiences             accepted {@code aud} values; a token must carry at least one
 * @param principalClaims       claims tried in order for the principal id ({@code oid}, then {@code sub})
 * @param groupsClaim           claim holding the group names (an array of strings)
 * @param algorithms            the only JWS algorithms accepted from this issuer (asymmetric only)
 * @param caCertificatePem      certificates to trust for TLS to this issuer instead of the system roots
 * @param clockLeeway           tolerance for {@code exp}, {@code nbf} and {@code iat}; at most 60 s
 * @param allowInsecureLoopback permits an {@code http://} issuer (and JWKS) on a loopback address, for tests and dev
 */
public record TrustedIssuer(
        String name,
        String issuer,
        Set<String> audiences,
        List<String> principalClaims,
        String groupsClaim,
        Set<JWSAlgorithm> algorithms,
        Optional<String> caCertificatePem,
        Duration clockLeeway,
        boolean allowInsecureLoopback) {

    public static final List<String> DEFAULT_PRINCIPAL_CLAIMS = List.of("oid", "sub");
    public static final String DEFAULT_GROUPS_CLAIM = "groups";
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    public static final Duration DEFAULT_CLOCK_LEEWAY = Duration.ofSeconds(60);
    public static final Duration MAX_CLOCK_LEEWAY = Duration.ofSeconds(60);

    /**
     * What may be pinned: RSA (PKCS#1 v1.5 and PSS) and ECDSA on the NIST curves. Never {@code none},
     * never HMAC (an issuer's public key must not become a shared secret), nothing Nimbus cannot verify
     * without extra providers.
     */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern CLAIM = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public TrustedIssuer {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("OIDC issuer name '" + name + "' must be 1-32 characters of a-z, 0-9 and '-',"
                    + " starting with a letter or digit");
        }
        String where = "OIDC issuer '" + name + "'";
        checkIssuerUrl(issuer, allowInsecureLoopback, where);
        audiences = copyNonBlank(audiences, where + ": audiences");
        if (audiences.isEmpty()) {
            throw new ConfigException(where + ": at least one accepted audience is required");
        }
        principalClaims = List.copyOf(copyNonBlank(principalClaims, where + ": principal claims"));
        if (principalClaims.isEmpty()) {
            throw new ConfigException(where + ": at least one principal claim is required (default: oid,sub)");
        }
        for (String claim : principalClaims) {
            requireClaimName(claim, where + ": principal claim");
        }
        requireClaimName(groupsClaim, where + ": groups claim");
        if (algorithms == null || algorithms.isEmpty()) {
            throw new ConfigException(where + ": at least one algorithm is required (default: RS256,PS256,ES256)");
        }
        for (JWSAlgorithm alg : algorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(alg)) {
                throw new ConfigException(where + ": algorithm '" + alg + "' is not accepted; choose from "
                        + sortedNames(SUPPORTED_ALGORITHMS) + " (never none or HS*)");
            }
        }
        algorithms = Set.copyOf(algorithms);
        caCertificatePem = caCertificatePem == null ? Optional.empty() : caCertificatePem;
        caCertificatePem.ifPresent(pem -> parseCertificates(pem, where + ": CA certificate"));
        if (clockLeeway == null || clockLeeway.isNegative() || clockLeeway.compareTo(MAX_CLOCK_LEEWAY) > 0) {
            throw new ConfigException(where + ": clock leeway must be between 0 and " + MAX_CLOCK_LEEWAY.toSeconds()
                    + " seconds, got " + (clockLeeway == null ? "none" : clockLeeway.toSeconds() + " s"));
        }
    }

    /** A builder with the defaults: principal claims {@code oid,sub}, groups claim {@code groups}, RS256/PS256/ES256, 60 s leeway. */
    public static Builder builder(String name, String issuer) {
        return new Builder(name, issuer);
    }

    /** The discovery document's URL: the issuer without a trailing slash, then {@code /.well-known/openid-configuration}. */
    public URI discoveryUrl() {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        return URI.create(base + "/.well-known/openid-configuration");
    }

    /** The configured CA certificates, parsed (empty: trust the JDK's default roots). */
    public List<X509Certificate> caCertificates() {
        return caCertificatePem.map(pem -> parseCertificates(pem, "OIDC issuer '" + name + "': CA certificate"))
                .orElse(List.of());
    }

    /**
     * Whether Bulwark may fetch from {@code url} for this issuer: https, or http on a loopback
     * address when {@link #allowInsecureLoopback} is set. Used for the JWKS URL named by discovery.
     */
    public boolean isFetchable(URI url) {
        try {
            checkUrl(url, allowInsecureLoopback, "url");
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    /** Whether {@code host} (as written in a URL) is a loopback name or address, decided without DNS. */
    static boolean isLoopbackHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static void checkIssuerUrl(String issuer, boolean allowInsecureLoopback, String where) {
        if (issuer == null || issuer.isBlank()) {
            throw new ConfigException(where + ": the issuer URL is required");
        }
        if (!issuer.equals(issuer.strip())) {
            throw new ConfigException(where + ": issuer URL '" + issuer + "' has leading or trailing spaces");
        }
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new ConfigException(where + ": issuer URL '" + issuer + "' is not a valid URL: " + e.getReason());
        }
        checkUrl(uri, allowInsecureLoopback, where + ": issuer URL '" + issuer + "'");
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(where + ": issuer URL '" + issuer + "' must not have a query or fragment");
        }
    }

    private static void checkUrl(URI uri, boolean allowInsecureLoopback, String what) {
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw new ConfigException(what + " must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException(what + " must not contain user information");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return;
        }
        if (scheme.equals("http")) {
            if (!isLoopbackHost(uri.getHost())) {
                throw new ConfigException(what + " must use https (http is allowed only on loopback, with allow-insecure-loopback)");
            }
            if (!allowInsecureLoopback) {
                throw new ConfigException(what + " uses http on loopback; set allow-insecure-loopback=true to permit"
                        + " that for tests and development, or use https");
            }
            return;
        }
        throw new ConfigException(what + " must use https, not " + scheme);
    }

    private static Set<String> copyNonBlank(Collection<String> values, String what) {
        if (values == null) {
            return Set.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank()) {
                throw new ConfigException(what + " must not contain an empty value");
            }
            if (!v.equals(v.strip())) {
                throw new ConfigException(what + ": '" + v + "' has leading or trailing spaces");
            }
            if (!out.add(v)) {
                throw new ConfigException(what + ": '" + v + "' is listed twice");
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    private static void requireClaimName(String claim, String what) {
        if (claim == null || !CLAIM.matcher(claim).matches()) {
            throw new ConfigException(what + " '" + claim + "' must be 1-128 printable characters without spaces");
        }
    }

    static List<X509Certificate> parseCertificates(String pem, String what) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException(what + " is not a PEM certificate (no -----BEGIN CERTIFICATE----- line)");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigException(what + " contains no certificate");
            }
            return List.copyOf(out);
        } catch (CertificateException e) {
            throw new ConfigException(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String sortedNames(Set<JWSAlgorithm> algs) {
        return algs.stream().map(JWSAlgorithm::getName).sorted().toList().toString();
    }

    @Override
    public String toString() {
        return "TrustedIssuer[" + name + " " + issuer + " audiences=" + audiences + " principalClaims=" + principalClaims
                + " groupsClaim=" + groupsClaim + " algorithms=" + sortedNames(algorithms)
                + " ca=" + (caCertificatePem.isPresent() ? "configured" : "system") + " leeway=" + clockLeeway.toSeconds()
                + "s" + (allowInsecureLoopback ? " insecure-loopback" : "") + "]";
    }

    /** Builds a {@link TrustedIssuer}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final String issuer;
        private Set<String> audiences = Set.of();
        private List<String> principalClaims = DEFAULT_PRINCIPAL_CLAIMS;
        private String groupsClaim = DEFAULT_GROUPS_CLAIM;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Optional<String> caCertificatePem = Optional.empty();
        private Duration clockLeeway = DEFAULT_CLOCK_LEEWAY;
        private boolean allowInsecureLoopback;

        private Builder(String name, String issuer) {
            this.name = name;
            this.issuer = issuer;
        }

        public Builder audiences(String... values) {
            return audiences(List.of(values));
        }

        public Builder audiences(Collection<String> values) {
            this.audiences = new LinkedHashSet<>(values);
            return this;
        }

        public Builder principalClaims(String... values) {
            this.principalClaims = List.of(values);
            return this;
        }

        public Builder groupsClaim(String value) {
            this.groupsClaim = value;
            return this;
        }

        public Builder algorithms(JWSAlgorithm... values) {
            this.algorithms = Set.of(values);
            return this;
        }

        /** Algorithm names as an operator writes them; unknown and forbidden names are refused by {@link #build()}. */
        public Builder algorithmNames(Collection<String> names) {
            LinkedHashSet<JWSAlgorithm> algs = new LinkedHashSet<>();
            for (String n : names) {
                String upper = n.strip().toUpperCase(Locale.ROOT);
                // JWSAlgorithm.parse never fails; it returns a fresh, unsupported instance for unknown names,
                // which the record then refuses with the list of what is accepted.
                algs.add(upper.equals("NONE") ? new JWSAlgorithm("none") : JWSAlgorithm.parse(upper));
            }
            this.algorithms = algs;
            return this;
        }

        public Builder caCertificatePem(String pem) {
            this.caCertificatePem = Optional.ofNullable(pem);
            return this;
        }

        public Builder clockLeeway(Duration value) {
            this.clockLeeway = value;
            return this;
        }

        public Builder allowInsecureLoopback(boolean value) {
            this.allowInsecureLoopback = value;
            return this;
        }

        public TrustedIssuer build() {
            return new TrustedIssuer(name, issuer, audiences, principalClaims, groupsClaim,
                    algorithms, caCertificatePem, clockLeeway, allowInsecureLoopback);
        }
    }
}
