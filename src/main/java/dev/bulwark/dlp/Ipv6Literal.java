package dev.bulwark.dlp;

import dev.bulwark.network.IpAddress;

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
        // The project's one IP-literal parser; inside brackets only IPv6 is allowed.
        byte[] a = text.indexOf(':') < 0 ? null : IpAddress.parseOrNull(text);
        if (a == null || a.length != 16) {
            throw new UrlRefused("malformed IPv6 address");
        }
        if (embedsIpv4(a)) {
            throw new UrlRefused("IPv6 address embeds an IPv4 address (mapped, compatible or translated)");
        }
        return IpAddress.format(a);
    }

    private static int group(byte[] a, int i) {
        return ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }

    private static boolean embedsIpv4(byte[] a) {
        boolean first64Zero = group(a, 0) == 0 && group(a, 1) == 0 && group(a, 2) == 0 && group(a, 3) == 0;
        boolean compatibleOrMapped = first64Zero && group(a, 4) == 0 && (group(a, 5) == 0 || group(a, 5) == 0xffff);
        boolean siit = first64Zero && group(a, 4) == 0xffff && group(a, 5) == 0;
        boolean nat64 = group(a, 0) == 0x64 && group(a, 1) == 0xff9b && group(a, 2) == 0 && group(a, 3) == 0
                && group(a, 4) == 0 && group(a, 5) == 0;
        return compatibleOrMapped || siit || nat64;
    }
}
