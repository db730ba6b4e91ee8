package dev.bulwark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Strict parsing of literal addresses, without ever asking DNS. Only the canonical dotted quad is an
 * IPv4 literal: the legacy forms {@code 127.1}, {@code 0x7f.0.0.1}, {@code 017700000001} and
 * {@code 2130706433} that some resolvers still accept are refused, so a host name can never be an
 * address in disguise.
 */
final class IpLiteral {
    private IpLiteral() {
    }

    /** The 4 or 16 bytes of {@code text} if it is a literal address (IPv6 without brackets), else empty. */
    static Optional<byte[]> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            return ipv6(text);
        }
        return ipv4(text);
    }

    static Optional<byte[]> ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')
                    || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> ipv6(String text) {
        // Hex digits, colons and (for an embedded IPv4 tail) dots only: no zone ids ("%eth0"), no
        // brackets, and a first character the JDK reads as a literal: nothing makes it fall back to
        // a name lookup.
        if (text.charAt(0) == '.' || !text.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                || c == ':' || c == '.')) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            byte[] b = a.getAddress();
            // The JDK turns "::ffff:1.2.3.4" into an Inet4Address; keep it as the 16 bytes that were
            // written, so the mapped range is judged as such.
            if (b.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return Optional.of(mapped);
            }
            return Optional.of(b);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
