package dev.bulwark.dlp;

import java.net.IDN;
import java.util.Locale;

/**
 * A URL host in the one form that is matched against the allow-list. {@link #parse} is shared by the
 * URL parser and by {@link AllowedFqdns}, so a list entry and a URL host can only be equal if they
 * went through exactly the same rules.
 *
 * @param ascii the normalised host: lower-case ASCII name, dotted-quad IPv4 or RFC 5952 IPv6 text
 * @param kind  which of the three it is
 */
public record Host(String ascii, HostKind kind) {
    static final int MAX_NAME_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;

    /**
     * Parses a host as it appears in a URL's authority (IPv6 in brackets) or, with
     * {@code bareIpv6}, as written in an allow-list (IPv6 with or without brackets).
     *
     * @throws UrlRefused with the reason, for anything that is not exactly one of the three forms
     */
    static Host parse(String raw, boolean bareIpv6) {
        if (raw.isEmpty()) {
            throw new UrlRefused("empty host");
        }
        if (raw.charAt(0) == '[') {
            if (raw.length() < 3 || raw.charAt(raw.length() - 1) != ']') {
                throw new UrlRefused("unterminated IPv6 literal");
            }
            return new Host(Ipv6Literal.normalise(raw.substring(1, raw.length() - 1)), HostKind.IPV6);
        }
        if (bareIpv6 && raw.indexOf(':') >= 0) {
            return new Host(Ipv6Literal.normalise(raw), HostKind.IPV6);
        }
        String name = raw;
        if (!isAscii(name)) {
            name = toAscii(name);
        }
        // One trailing dot is the DNS root and names the same host; two is not a host name at all.
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
            if (name.isEmpty() || name.endsWith(".")) {
                throw new UrlRefused("more than one trailing dot");
            }
        }
        name = name.toLowerCase(Locale.ROOT);
        if (endsInNumber(name)) {
            // Resolvers (inet_aton) and WHATWG parsers read 127.1, 0x7f.0.0.1, 0177.0.0.1 and
            // 2130706433 as 127.0.0.1. Rather than re-implementing each reading and hoping it agrees
            // with whatever fetches the URL, only the canonical dotted quad is accepted.
            return new Host(canonicalIpv4(name), HostKind.IPV4);
        }
        checkLdh(name);
        return new Host(name, HostKind.DNS);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * IDNA to ASCII (java.net.IDN, IDNA 2003 with STD3 rules). Characters on which IDNA 2003 and the
     * UTS 46 processing of browsers and modern HTTP clients disagree are refused first: the deviation
     * characters (ß, final sigma, joiners) and anything IDNA 2003 silently deletes (soft hyphen,
     * format characters, variation selectors). For those, our reading of the host and the fetcher's
     * could be two different names, one allowed and one the attacker's.
     */
    private static String toAscii(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            int type = Character.getType(c);
            if (c == '\u00DF' || c == '\u03C2' || c == '\u034F' || type == Character.FORMAT
                    || (c >= '\uFE00' && c <= '\uFE0F') || (c >= '\u180B' && c <= '\u180F')
                    || type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.UNASSIGNED) {
                throw new UrlRefused("host contains a character whose IDNA mapping is ambiguous");
            }
        }
        try {
            return IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new UrlRefused("host is not a valid internationalised domain name");
        }
    }

    /** WHATWG's "ends in a number": the last label is all digits, or 0x followed by hex digits. */
    private static boolean endsInNumber(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        int start = last.startsWith("0x") ? 2 : 0;
        for (int i = start; i < last.length(); i++) {
            char c = last.charAt(i);
            boolean ok = start == 2 ? Character.digit(c, 16) >= 0 && c < 0x80 : c >= '0' && c <= '9';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Exactly four decimal labels, each 0-255, no leading zeros (a leading zero means octal
     * elsewhere): the network rules' one strict parser decides.
     */
    private static String canonicalIpv4(String name) {
        byte[] a = dev.bulwark.network.IpAddress.parseOrNull(name);
        if (a == null || a.length != 4) {
            throw new UrlRefused("IPv4 address not in canonical dotted-quad decimal form");
        }
        return name;
    }

    /** STD3 host name rules on the ASCII form: letters, digits and hyphens; labels of 1-63; 253 in all. */
    private static void checkLdh(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new UrlRefused("host name longer than " + MAX_NAME_LENGTH + " characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i == name.length() ? '.' : name.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0) {
                    throw new UrlRefused("empty label in host name");
                }
                if (len > MAX_LABEL_LENGTH) {
                    throw new UrlRefused("host name label longer than " + MAX_LABEL_LENGTH + " characters");
                }
                if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    throw new UrlRefused("host name label starts or ends with a hyphen");
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new UrlRefused("host name contains a character other than a letter, digit, hyphen or dot");
            }
        }
    }
}
