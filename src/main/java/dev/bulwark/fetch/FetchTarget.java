package dev.bulwark.fetch;

/**
 * One URL to fetch, already taken apart and checked: only these four parts ever reach the HTTP
 * client, so nothing it might reinterpret (userinfo, fragments, backslashes, odd encodings of an
 * address) survives to the wire.
 *
 * @param scheme       {@code https} or {@code http}
 * @param host         a lower-case ASCII host name, a canonical dotted-quad IPv4 address, or an IPv6
 *                     address in brackets; never an address in a legacy form such as {@code 127.1}
 * @param port         1 to 65535
 * @param pathAndQuery starts with {@code /}; visible ASCII without backslash or {@code #}
 */
public record FetchTarget(String scheme, String host, int port, String pathAndQuery) {
    private static final int MAX_HOST = 253;
    private static final int MAX_PATH = 8 * 1024;

    public FetchTarget {
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("only http and https URLs can be fetched");
        }
        if (host == null || !validHost(host)) {
            throw new IllegalArgumentException("not an acceptable host name");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (pathAndQuery == null || pathAndQuery.isEmpty() || pathAndQuery.charAt(0) != '/'
                || pathAndQuery.length() > MAX_PATH || !pathAndQuery.chars().allMatch(FetchTarget::pathChar)) {
            throw new IllegalArgumentException("not an acceptable path");
        }
    }

    /** The same host on the scheme's default port. */
    public static FetchTarget of(String scheme, String host, String pathAndQuery) {
        return new FetchTarget(scheme, host, "https".equals(scheme) ? 443 : 80, pathAndQuery);
    }

    public boolean secure() {
        return "https".equals(scheme);
    }

    /** The host as a literal address's bytes (brackets removed), or null when it is a name to resolve. */
    byte[] literalAddress() {
        if (host.startsWith("[")) {
            return IpLiteral.parse(host.substring(1, host.length() - 1)).orElseThrow();
        }
        return IpLiteral.ipv4(host).orElse(null);
    }

    /** The URL as text, for resolving relative redirects and for logs (it carries no credentials). */
    @Override
    public String toString() {
        boolean defaultPort = port == (secure() ? 443 : 80);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port) + pathAndQuery;
    }

    private static boolean validHost(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST) {
            return false;
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2
                    && IpLiteral.parse(host.substring(1, host.length() - 1)).isPresent();
        }
        if (IpLiteral.ipv4(host).isPresent()) {
            return true;
        }
        String[] labels = host.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")
                    || !label.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        // An all-numeric last label makes the name look like an address to some resolvers
        // ("127.1", "2130706433"): no real top-level domain is numeric, so refuse it.
        return !labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean pathChar(int c) {
        return c > 0x20 && c < 0x7f && c != '\\' && c != '#';
    }
}
