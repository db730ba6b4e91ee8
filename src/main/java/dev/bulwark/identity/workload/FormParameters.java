package dev.bulwark.identity.workload;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict {@code application/x-www-form-urlencoded} parsing, for token request bodies and query
 * strings. A repeated parameter is an error (RFC 6749 §3.1, §3.2: parameters must not be included more
 * than once); a parameter sent without a value counts as omitted (RFC 6749 §3.1).
 */
final class FormParameters {
    static final int MAX_PARAMETERS = 32;

    /** Why a form could not be parsed; the message is safe to show the client. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private FormParameters() {
    }

    static Map<String, String> parse(String raw) throws Malformed {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        int count = 0;
        for (String pair : raw.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (++count > MAX_PARAMETERS) {
                throw new Malformed("more than " + MAX_PARAMETERS + " parameters");
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (name.isEmpty()) {
                throw new Malformed("a parameter has no name");
            }
            if (out.containsKey(name)) {
                throw new Malformed("parameter '" + printable(name) + "' is repeated");
            }
            out.put(name, value);
        }
        out.values().removeIf(String::isEmpty);
        return out;
    }

    /** One form-encoded component ({@code +} is a space, {@code %XX} are UTF-8 bytes). */
    static String decode(String s) throws Malformed {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Malformed("bad percent-encoding");
        }
    }

    /** A parameter name for an error message: short, printable ASCII only. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
