package dev.bulwark.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Strict reading of a URL or of a redirect's {@code Location}: the text is refused on anything
 * parsers disagree about (backslashes, whitespace, control or non-ASCII characters, userinfo) before
 * {@link URI} is allowed to see it, and the result is rebuilt as a {@link FetchTarget}.
 */
final class UrlReference {
    private static final int MAX_LENGTH = 8 * 1024;

    private UrlReference() {
    }

    /** An absolute http(s) URL as a target, or empty when it is not one Bulwark will fetch. */
    static Optional<FetchTarget> parseAbsolute(String url) {
        return resolve(null, url);
    }

    /**
     * {@code reference} (absolute, or relative to {@code base}) as a target, or empty when it is not
     * acceptable. A null base allows absolute URLs only.
     */
    static Optional<FetchTarget> resolve(FetchTarget base, String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            // Backslash is a slash to browsers and some servers but not to URI: refuse the ambiguity.
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        URI uri;
        try {
            uri = new URI(reference);
            if (!uri.isAbsolute()) {
                if (base == null) {
                    return Optional.empty();
                }
                uri = new URI(base.toString()).resolve(uri);
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return target(uri);
    }

    private static Optional<FetchTarget> target(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // Opaque URIs ("http:foo"), userinfo ("https://user@host") and registry authorities that are
        // no server (getHost() null, e.g. "https://a_b/") are refused rather than interpreted.
        if (uri.isOpaque() || uri.getRawUserInfo() != null || uri.getHost() == null) {
            return Optional.empty();
        }
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() == -1 ? ("https".equals(scheme) ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String pathAndQuery = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        // The fragment is the client's business and is never sent.
        try {
            return Optional.of(new FetchTarget(scheme, host, port, pathAndQuery));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
