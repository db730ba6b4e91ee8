package dev.bulwark.identity.workload;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the token endpoints accept, validated once and frozen: the resources a token may be asked for
 * (its audience), the URLs a client assertion's {@code aud} may name (this server's token endpoint as
 * clients reach it), how long an assertion may live, and the clock skew tolerated.
 *
 * @param resources          resource identifiers, e.g. {@code https://cognitiveservices.azure.com}; requests
 *                           may add one trailing {@code /}; anything else is {@code invalid_scope}
 * @param assertionAudiences accepted {@code aud} values of a {@code private_key_jwt} assertion (absolute https URLs)
 * @param maxAssertionLifetime an assertion's {@code exp} may be at most this far ahead (10 minutes at most)
 * @param clockSkew          leeway for {@code exp}, {@code nbf}, {@code iat} (at most 60 seconds)
 */
public record WorkloadTokenPolicy(Set<String> resources, Set<String> assertionAudiences,
                                  Duration maxAssertionLifetime, Duration clockSkew) {

    public static final String DEFAULT_RESOURCE = "https://cognitiveservices.azure.com";
    public static final Duration MAX_ASSERTION_LIFETIME = Duration.ofMinutes(10);
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    public WorkloadTokenPolicy {
        if (resources == null || resources.isEmpty()) {
            throw new IllegalArgumentException("at least one resource must be allowed");
        }
        for (String r : resources) {
            if (r == null || r.isBlank() || !r.strip().equals(r) || r.contains(" ") || r.endsWith("/") || r.endsWith("/.default")) {
                throw new IllegalArgumentException("resource '" + r + "' must be an identifier with no spaces, "
                        + "no trailing '/' and no '/.default'");
            }
        }
        if (assertionAudiences == null || assertionAudiences.isEmpty()) {
            throw new IllegalArgumentException("at least one token endpoint URL must be accepted as a client assertion audience");
        }
        for (String a : assertionAudiences) {
            checkHttpsUrl(a);
        }
        if (maxAssertionLifetime == null || maxAssertionLifetime.isNegative() || maxAssertionLifetime.isZero()
                || maxAssertionLifetime.compareTo(MAX_ASSERTION_LIFETIME) > 0) {
            throw new IllegalArgumentException("the client assertion lifetime must be more than zero and at most 10 minutes, got "
                    + maxAssertionLifetime);
        }
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 60 seconds, got " + clockSkew);
        }
        resources = Set.copyOf(new LinkedHashSet<>(resources));
        assertionAudiences = Set.copyOf(assertionAudiences);
    }

    /** The default resource ({@link #DEFAULT_RESOURCE}), 10-minute assertions, 30 s skew, for these token endpoint URLs. */
    public static WorkloadTokenPolicy defaults(List<String> tokenEndpointUrls) {
        return new WorkloadTokenPolicy(Set.of(DEFAULT_RESOURCE), Set.copyOf(tokenEndpointUrls), MAX_ASSERTION_LIFETIME, DEFAULT_CLOCK_SKEW);
    }

    /** The configured resource a requested one names (exactly, or with one trailing {@code /}). */
    public Optional<String> resource(String requested) {
        if (requested == null || requested.isEmpty()) {
            return Optional.empty();
        }
        String r = requested.endsWith("/") ? requested.substring(0, requested.length() - 1) : requested;
        return resources.contains(r) ? Optional.of(r) : Optional.empty();
    }

    private static void checkHttpsUrl(String s) {
        try {
            URI u = new URI(s);
            if (!"https".equals(u.getScheme()) || u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new IllegalArgumentException("client assertion audience '" + s + "' must be an absolute https URL without query or fragment");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("client assertion audience '" + s + "' is not a URL: " + e.getMessage());
        }
    }
}
