package dev.bulwark.dlp;

/**
 * Parses the text inside an IPv6 literal's brackets and writes it back in RFC 5952 form (lower-case,
 * no leading zeros, the longest run of two or more zero groups as {@code ::}), so one address has one
 * spelling to match. Zone identifiers ({@code %25eth0}) and IPvFuture ({@code [v1.x]}) are refused.
 *
 * <p>Addresses that carry an IPv4 address inside them are refused outright rather than matched as
 * that IPv4 address: IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96} (which also
 * covers {@code ::} and {@code ::1}), SIIT-translated {@code ::ffff:0:0:0/96} and NAT64
 * {@code 64:ff9b::/96}. Whether such an address reaches the embedded IPv4 host depends on the
 * fetcher's operating system and network; an allow-list names IPv4 hosts by their IPv4 form.
 */
final class Ipv6Literal {
    private Ipv6Literal() {
    }

    static String normalise(String text) {
        int[] groups = parse(text);
        if (embedsIpv4(groups)) {
            throw new UrlRefused("IPv6 address embeds an IPv4 address (mapped, compatible or translated)");
        }
        return format(groups);
    }

    private static int[] parse(String text) {
        if (text.isEmpty() || text.length() > 45) {
            throw new UrlRefused("malformed IPv6 address");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new UrlRefused("malformed IPv6 address");
            }
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new UrlRefused("malformed IPv6 address: more than one '::'");
        }
        int[] head = gap < 0 ? groups(text, true) : groups(text.substring(0, gap), false);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        int total = head.length + tail.length;
        if (gap < 0 ? total != 8 : total > 7) {
            throw new UrlRefused("malformed IPv6 address: wrong number of groups");
        }
        int[] out = new int[8];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(tail, 0, out, 8 - tail.length, tail.length);
        return out;
    }

    /** Colon-separated groups; the last may be a dotted quad (two groups) when {@code last} is set. */
    private static int[] groups(String part, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        int[] out = new int[pieces.length + 1];
        int n = 0;
        for (int i = 0; i < pieces.length; i++) {
            String p = pieces[i];
            if (p.indexOf('.') >= 0) {
                if (!last || i != pieces.length - 1) {
                    throw new UrlRefused("malformed IPv6 address: dotted quad not at the end");
                }
                Host v4 = Host.parse(p, false);
                if (v4.kind() != HostKind.IPV4) {
                    throw new UrlRefused("malformed IPv6 address: bad dotted quad");
                }
                String[] q = v4.ascii().split("\\.");
                out[n++] = Integer.parseInt(q[0]) << 8 | Integer.parseInt(q[1]);
                out[n++] = Integer.parseInt(q[2]) << 8 | Integer.parseInt(q[3]);
            } else {
                if (p.isEmpty() || p.length() > 4) {
                    throw new UrlRefused("malformed IPv6 address: bad group");
                }
                out[n++] = Integer.parseInt(p, 16);
            }
        }
        int[] trimmed = new int[n];
        System.arraycopy(out, 0, trimmed, 0, n);
        return trimmed;
    }

    private static boolean embedsIpv4(int[] g) {
        boolean first64Zero = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0;
        boolean compatibleOrMapped = first64Zero && g[4] == 0 && (g[5] == 0 || g[5] == 0xffff);
        boolean siit = first64Zero && g[4] == 0xffff && g[5] == 0;
        boolean nat64 = g[0] == 0x64 && g[1] == 0xff9b && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0;
        return compatibleOrMapped || siit || nat64;
    }

    private static String format(int[] g) {
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
}
