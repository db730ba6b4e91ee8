package dev.bulwark.fetch;

import java.net.InetAddress;
import java.util.List;

/**
 * Which addresses Bulwark may connect to on a user's behalf: only globally routable unicast ones.
 * Everything else — this host, the private networks, link-local (and with it the cloud metadata
 * service at 169.254.169.254), carrier-grade NAT, multicast, documentation and benchmark ranges —
 * is where an attacker who controls a URL would like Bulwark to go, so it is refused.
 *
 * <p>IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4) are judged by the IPv4 address
 * they lead to, because a dual-stack socket or a translator on the path will deliver them there. The
 * deprecated IPv4-compatible form is refused outright, and so is Teredo: its embedded addresses are
 * obfuscated and it tunnels to wherever the relay chooses.
 */
public final class GlobalAddresses {
    private GlobalAddresses() {
    }

    /** IPv4 blocks that are not global (IANA special-purpose registry, plus what must never be dialled). */
    private static final List<Cidr> V4_REFUSED = blocks(
            "0.0.0.0/8",          // "this network"; 0.0.0.0 reaches the local host on Linux
            "10.0.0.0/8",         // private
            "100.64.0.0/10",      // carrier-grade NAT, often the provider's internal services
            "127.0.0.0/8",        // loopback
            "169.254.0.0/16",     // link-local, including the metadata service 169.254.169.254
            "172.16.0.0/12",      // private
            "192.0.0.0/24",       // IETF protocol assignments (includes 192.0.0.192 Oracle metadata)
            "192.0.2.0/24",       // TEST-NET-1
            "192.88.99.0/24",     // deprecated 6to4 relay anycast
            "192.168.0.0/16",     // private
            "198.18.0.0/15",      // benchmarking
            "198.51.100.0/24",    // TEST-NET-2
            "203.0.113.0/24",     // TEST-NET-3
            "224.0.0.0/4",        // multicast
            "240.0.0.0/4");       // reserved, and 255.255.255.255 broadcast within it

    /** IPv6 blocks refused outright, whatever follows the prefix. */
    private static final List<Cidr> V6_REFUSED = blocks(
            "::/128",             // unspecified
            "::1/128",            // loopback
            "::/96",              // IPv4-compatible: deprecated since 2006, no legitimate use left
            "64:ff9b:1::/48",     // local-use NAT64: translates into the operator's own networks
            "100::/64",           // discard-only
            "2001::/32",          // Teredo
            "2001:db8::/32",      // documentation
            "fc00::/7",           // unique local, including fd00:ec2::254 (AWS metadata over IPv6)
            "fe80::/10",          // link-local
            "fec0::/10",          // deprecated site-local, still routed internally by some stacks
            "ff00::/8");          // multicast

    private static final Cidr V4_MAPPED = Cidr.parse("::ffff:0:0/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    /** Whether {@code address} is a globally routable unicast address. */
    public static boolean isGlobal(InetAddress address) {
        return isGlobal(address.getAddress());
    }

    /** Whether the 4 or 16 {@code address} bytes are a globally routable unicast address. */
    public static boolean isGlobal(byte[] address) {
        if (address.length == 4) {
            return V4_REFUSED.stream().noneMatch(b -> b.contains(address));
        }
        if (address.length != 16) {
            return false;
        }
        for (Cidr b : V6_REFUSED) {
            if (b.contains(address)) {
                return false;
            }
        }
        // Forms carrying an IPv4 address are as global as that address.
        if (V4_MAPPED.contains(address) || NAT64.contains(address)) {
            return isGlobal(slice(address, 12));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return isGlobal(slice(address, 2));
        }
        return true;
    }

    private static byte[] slice(byte[] address, int from) {
        byte[] v4 = new byte[4];
        System.arraycopy(address, from, v4, 0, 4);
        return v4;
    }

    private static List<Cidr> blocks(String... cidrs) {
        return java.util.Arrays.stream(cidrs).map(Cidr::parse).toList();
    }
}
