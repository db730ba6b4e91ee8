package dev.bulwark.dlp;

/**
 * The one strict parser for URLs a model could be made to fetch. Hand-written on purpose:
 * {@code java.net.URI} and {@code URL} accept things (backslashes, userinfo, odd numeric hosts,
 * lenient escapes) that another parser downstream reads differently, and that disagreement is the
 * classic way past an allow-list. Here anything ambiguous is refused, so the host we check is the
 * host any reasonable fetcher would contact. The exact rules are in docs/dlp.md.
 */
public final class OutboundUrl {
    /** Longest non-{@code data:} URL accepted; real image and file URLs are far shorter. */
    public static final int MAX_LENGTH = 8192;

    private OutboundUrl() {
    }

    /**
     * Parses {@code text}. {@code https} is the only outbound scheme unless {@code allowHttp};
     * {@code data:} URLs are recognised (case-insensitively, at the very start) and not inspected.
     */
    public static ParseResult parse(String text, boolean allowHttp) {
        if (text == null) {
            return new ParseResult.Invalid("no URL");
        }
        if (text.regionMatches(true, 0, "data:", 0, 5)) {
            return new ParseResult.Data();
        }
        try {
            return parseOutbound(text, allowHttp);
        } catch (UrlRefused e) {
            return new ParseResult.Invalid(e.getMessage());
        }
    }

    private static ParseResult.Valid parseOutbound(String text, boolean allowHttp) {
        if (text.length() > MAX_LENGTH) {
            throw new UrlRefused("URL longer than " + MAX_LENGTH + " characters");
        }
        checkCharacters(text);

        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new UrlRefused("no scheme");
        }
        String scheme = scheme(text.substring(0, colon), allowHttp);

        // "//" authority is required: "https:host" and "https:/host" are read as paths by some
        // parsers and as hosts by others.
        if (!text.startsWith("//", colon + 1)) {
            throw new UrlRefused("no '//' authority after the scheme");
        }
        int authStart = colon + 3;
        int authEnd = authStart;
        while (authEnd < text.length() && "/?#".indexOf(text.charAt(authEnd)) < 0) {
            authEnd++;
        }
        String authority = text.substring(authStart, authEnd);
        if (authority.indexOf('@') >= 0) {
            throw new UrlRefused("user info ('@') in the authority");
        }
        if (authority.indexOf('%') >= 0) {
            throw new UrlRefused("percent-encoding in the host or port");
        }

        String hostText;
        int port;
        boolean bracketed = authority.startsWith("[");
        int portColon = bracketed ? authority.indexOf(':', Math.max(authority.indexOf(']'), 0)) : authority.indexOf(':');
        if (!bracketed && portColon >= 0 && authority.indexOf(':', portColon + 1) >= 0) {
            // An unbracketed IPv6 address, or host:port:port; either way there is no one reading of it.
            throw new UrlRefused("more than one ':' in the authority");
        }
        if (portColon < 0) {
            hostText = authority;
            port = scheme.equals("https") ? 443 : 80;
        } else {
            hostText = authority.substring(0, portColon);
            port = port(authority.substring(portColon + 1));
        }
        Host host = Host.parse(hostText, false);

        String rest = text.substring(authEnd);
        int hash = rest.indexOf('#');
        String fragment = hash < 0 ? "" : rest.substring(hash + 1);
        String beforeHash = hash < 0 ? rest : rest.substring(0, hash);
        int q = beforeHash.indexOf('?');
        String query = q < 0 ? "" : beforeHash.substring(q + 1);
        String path = q < 0 ? beforeHash : beforeHash.substring(0, q);
        return new ParseResult.Valid(scheme, host.ascii(), host.kind(), port, path, query, fragment);
    }

    private static String scheme(String raw, boolean allowHttp) {
        if (raw.equalsIgnoreCase("https")) {
            return "https";
        }
        if (raw.equalsIgnoreCase("http")) {
            if (allowHttp) {
                return "http";
            }
            throw new UrlRefused("http is not allowed, only https");
        }
        throw new UrlRefused("scheme is not https");
    }

    /**
     * Refuses, anywhere in the URL: backslashes (WHATWG parsers read them as '/', others as data),
     * whitespace and control characters, raw or percent-encoded (parsers strip or split on them),
     * and malformed percent escapes.
     */
    private static void checkCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                throw new UrlRefused("backslash in URL");
            }
            if (c <= 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw new UrlRefused("whitespace or control character in URL");
            }
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw new UrlRefused("malformed percent-encoding");
                }
                int hi = hex(text.charAt(i + 1));
                int lo = hex(text.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    throw new UrlRefused("malformed percent-encoding");
                }
                int b = hi << 4 | lo;
                if (b < 0x20 || b == 0x7F) {
                    throw new UrlRefused("percent-encoded control character in URL");
                }
                if (b == 0x5C) {
                    throw new UrlRefused("percent-encoded backslash in URL");
                }
            }
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static int port(String digits) {
        if (digits.isEmpty() || digits.length() > 5) {
            throw new UrlRefused("port is not 1-65535");
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                throw new UrlRefused("port is not a number");
            }
        }
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new UrlRefused("port is not 1-65535");
        }
        return p;
    }
}
