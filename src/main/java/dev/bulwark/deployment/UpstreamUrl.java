package dev.bulwark.deployment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The base URL of an OpenAI-compatible upstream, such as {@code http://10.0.0.5:8000/v1}: absolute
 * http or https with a host, and nothing the proxy would have to guess about. No user info (a
 * password in a URL ends up in logs; the credential has its own field), no query and no fragment
 * (paths are appended to the base), no {@code .}/{@code ..} segments. A trailing slash is trimmed
 * so that appending {@code /chat/completions} gives one slash. Error messages never quote the URL:
 * a refused one may hold exactly the password it was refused for.
 */
public final class UpstreamUrl {
    static final int MAX_LENGTH = 2048;

    private UpstreamUrl() {
    }

    public static URI parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("upstream.baseUrl is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid("upstream.baseUrl is longer than " + MAX_LENGTH + " characters");
        }
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("upstream.baseUrl is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("upstream.baseUrl must be an absolute http:// or https:// URL");
        }
        if (u.isOpaque() || u.getRawUserInfo() != null) {
            throw invalid("upstream.baseUrl must not carry user info (user:password@); put the credential's reference in upstream.credential");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw invalid("upstream.baseUrl must name a host");
        }
        if (u.getRawQuery() != null) {
            throw invalid("upstream.baseUrl must not have a query (?...)");
        }
        if (u.getRawFragment() != null) {
            throw invalid("upstream.baseUrl must not have a fragment (#...)");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw invalid("upstream.baseUrl must not have '.' or '..' path segments");
            }
        }
        if (path.contains("//")) {
            throw invalid("upstream.baseUrl must not have empty path segments");
        }
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
    }

    private static DeploymentValidationException invalid(String message) {
        return new DeploymentValidationException("InvalidUpstreamUrl", message);
    }
}
