package dev.bulwark.network;

/**
 * Strict parsing and formatting of literal IP addresses, never touching DNS.
 *
 * <p>Why not {@code InetAddress.getByName}: given text that is not a literal it resolves it as a
 * host name (a blocking lookup on an event loop, driven by untrusted input), and it accepts forms a
 * rule author did not mean, such as zone ids. The grammar here is deliberately narrow:
 * <ul>
 *   <li>IPv4: exactly four dotted decimal octets 0-255, ASCII digits only, no leading zeros.
 *       {@code 010.0.0.1} is refused because other parsers (inet_aton, browsers) read it as octal
 *       8.0.0.1: a rule whose meaning depends on the reader is refused, not guessed.</li>
 *   <li>IPv6: eight groups of 1-4 hex digits, at most one {@code ::}, optionally ending in an
 *       embedded dotted IPv4 address. Zone ids ({@code fe80::1%eth0}) and brackets are refused: a
 *       zone names an interface of one host and means nothing in a rule.</li>
 *   <li>No whitespace anywhere, at most 45 characters.</li>
 * </ul>
 * Addresses are raw network-order bytes: 4 for IPv4, 16 for IPv6.
 */
public final class IpAddress {
    /** Longest literal that can be valid: a full IPv6 address ending in a dotted quad. */
    private static final int MAX_LENGTH = 45;

    private IpAddress() {
    }

    /** The address's bytes (4 or 16), or an exception saying why the text is not an IP literal. */
    public static byte[] parse(String text) {
        String[] why = new String[1];
        byte[] a = parse(text, why);
        if (a == null) {
            throw new IllegalArgumentException(why[0]);
        }
        return a;
    }

    /**
     * Like {@link #parse} but null for anything that is not an IP literal. Never throws and builds
     * no message: it is the path for untrusted text (forwarding headers, rule matching).
     */
    public static byte[] parseOrNull(String text) {
        return parse(text, null);
    }

    /**
     * The one parser: the address, or null with the reason in {@code why[0]} when {@code why} is
     * given (the reason is only built then).
     */
    private static byte[] parse(String text, String[] why) {
        if (text == null || text.isEmpty()) {
            return fail(why, "it is empty");
        }
        if (text.length() > MAX_LENGTH) {
            return fail(why, "it is too long for an IP address");
        }
        if (text.indexOf('%') >= 0) {
            return fail(why, "zone ids ('%...') are not allowed");
        }
        return text.indexOf(':') >= 0 ? parseIpv6(text, why) : parseIpv4(text, 0, text.length(), why);
    }

    private static byte[] fail(String[] why, String reason) {
        if (why != null) {
            why[0] = reason;
        }
        return null;
    }

    private static int failGroups(String[] why, String reason) {
        fail(why, reason);
        return -1;
    }

    /**
     * Whether a 16-byte address is IPv4-mapped ({@code ::ffff:a.b.c.d}). A dual-stack (IPv6) socket
     * reports IPv4 clients this way, so the rules match such an address as the IPv4 address it
     * carries; otherwise an IPv4 rule would silently stop matching when the listener binds {@code ::}.
     */
    public static boolean isIpv4Mapped(byte[] a) {
        if (a.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** The 4-byte IPv4 address of an IPv4-mapped address; any other address unchanged. */
    public static byte[] unmap(byte[] a) {
        if (!isIpv4Mapped(a)) {
            return a;
        }
        return new byte[] {a[12], a[13], a[14], a[15]};
    }

    /** Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as {@code ::}). */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first if tied.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static byte[] parseIpv4(String s, int from, int to, String[] why) {
        byte[] out = new byte[4];
        int part = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return fail(why, "an IPv4 octet has at most 3 digits");
                }
            }
            if (i == start) {
                return why == null ? null : fail(why, i < to
                        ? "unexpected character '" + s.charAt(i) + "'"
                        : "an IPv4 address has four dotted octets");
            }
            if (i - start > 1 && s.charAt(start) == '0') {
                return why == null ? null : fail(why, "octet '" + s.substring(start, i)
                        + "' has a leading zero, which some readers take as octal");
            }
            if (value > 255) {
                return why == null ? null : fail(why, "octet " + value + " is larger than 255");
            }
            out[part++] = (byte) value;
            if (part == 4) {
                if (i != to) {
                    return why == null ? null : fail(why, s.charAt(i) == '.'
                            ? "an IPv4 address has four dotted octets"
                            : "unexpected character '" + s.charAt(i) + "'");
                }
                return out;
            }
            if (i == to || s.charAt(i) != '.') {
                return why == null ? null : fail(why, i == to
                        ? "an IPv4 address has four dotted octets"
                        : "unexpected character '" + s.charAt(i) + "'");
            }
            i++;
        }
    }

    private static byte[] parseIpv6(String s, String[] why) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return fail(why, "'::' may appear only once");
        }
        int[] groups = new int[8];
        byte[] out = new byte[16];
        if (gap < 0) {
            int n = groups(s, 0, s.length(), true, groups, 0, why);
            if (n < 0) {
                return null;
            }
            if (n != 8) {
                return fail(why, "an IPv6 address without '::' has eight groups");
            }
        } else {
            int head = groups(s, 0, gap, false, groups, 0, why);
            if (head < 0) {
                return null;
            }
            int[] tailGroups = new int[8];
            int tail = groups(s, gap + 2, s.length(), true, tailGroups, 0, why);
            if (tail < 0) {
                return null;
            }
            if (head + tail > 7) {
                return fail(why, "too many groups for an IPv6 address with '::'");
            }
            System.arraycopy(tailGroups, 0, groups, 8 - tail, tail);
        }
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups[i] >>> 8);
            out[2 * i + 1] = (byte) groups[i];
        }
        return out;
    }

    /** Parses colon-separated groups of s[from, to) into out; returns how many 16-bit groups, or -1 (reason in why). */
    private static int groups(String s, int from, int to, boolean mayEndInIpv4, int[] out, int n, String[] why) {
        if (from == to) {
            return n;
        }
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && hex(s.charAt(i)) >= 0) {
                value = (value << 4) | hex(s.charAt(i));
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                if (!mayEndInIpv4) {
                    return failGroups(why, "an embedded IPv4 address may only end an IPv6 address");
                }
                if (n > 6) {
                    return failGroups(why, "too many groups for an IPv6 address");
                }
                byte[] v4 = parseIpv4(s, start, to, why);
                if (v4 == null) {
                    return -1;
                }
                out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                return n;
            }
            if (i == start) {
                return why == null ? -1 : failGroups(why, i < to
                        ? "unexpected character '" + s.charAt(i) + "'"
                        : "an IPv6 group is empty");
            }
            if (i - start > 4) {
                return failGroups(why, "an IPv6 group has at most 4 hex digits");
            }
            if (n == 8) {
                return failGroups(why, "too many groups for an IPv6 address");
            }
            out[n++] = value;
            if (i == to) {
                return n;
            }
            if (s.charAt(i) != ':') {
                return why == null ? -1 : failGroups(why, "unexpected character '" + s.charAt(i) + "'");
            }
            i++;
            if (i == to) {
                return failGroups(why, "an IPv6 address cannot end with a single ':'");
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
}
