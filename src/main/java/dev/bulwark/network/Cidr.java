package dev.bulwark.network;

/**
 * One IPv4 or IPv6 network: an address with a prefix length. A bare address is the single-address
 * network ({@code /32} or {@code /128}).
 *
 * <p>Stored as two longs so that rules compare without arrays: IPv4 in the low 32 bits of
 * {@code lo} ({@code hi} is 0), IPv6 as its high and low 64 bits (compared unsigned).
 *
 * <p>Host bits must be zero: {@code 203.0.113.5/24} is refused, naming the network it would be
 * ({@code 203.0.113.0/24}). Normalising it silently would guess: the author may have meant the one
 * address, or mistyped the prefix; either way a firewall rule that differs from what was written is
 * worse than an error.
 *
 * <p>A network inside the IPv4-mapped range ({@code ::ffff:0:0/96}) is refused with the IPv4 form
 * to write instead: client addresses in that range are matched as IPv4 (see
 * {@link IpAddress#isIpv4Mapped}), so such a rule could never match anything.
 *
 * @param ipv4         the family
 * @param hi           IPv6 high 64 bits; 0 for IPv4
 * @param lo           IPv6 low 64 bits, or the IPv4 address as an unsigned 32-bit value
 * @param prefixLength 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(boolean ipv4, long hi, long lo, int prefixLength) {

    public Cidr {
        int bits = ipv4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0-" + bits);
        }
        if (ipv4 && (hi != 0 || (lo & ~0xffff_ffffL) != 0)) {
            throw new IllegalArgumentException("an IPv4 address has 32 bits");
        }
        if (hostHi(ipv4, prefixLength, hi) != 0 || hostLo(ipv4, prefixLength, lo) != 0) {
            Cidr network = new Cidr(ipv4, hi & ~mask(hiHostBits(ipv4, prefixLength)),
                    lo & ~mask(loHostBits(ipv4, prefixLength)), prefixLength);
            throw new IllegalArgumentException("has host bits set; the network is '" + network + "'");
        }
        if (!ipv4 && prefixLength >= 96 && hi == 0 && (lo >>> 32) == 0xffffL) {
            Cidr v4 = new Cidr(true, 0, lo & 0xffff_ffffL, prefixLength - 96);
            throw new IllegalArgumentException("is an IPv4-mapped IPv6 network; write it as IPv4: '" + v4 + "'");
        }
    }

    /**
     * Parses {@code a.b.c.d}, {@code a.b.c.d/n}, an IPv6 address or {@code ipv6/n}. The prefix is
     * decimal without leading zeros or sign. The message of the exception says what is wrong but
     * not which entry: the caller knows that and adds it.
     */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("is not an IPv4 or IPv6 address or CIDR (it is missing)");
        }
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] a;
        try {
            a = IpAddress.parse(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an IPv4 or IPv6 address or CIDR (" + e.getMessage() + ")");
        }
        int bits = a.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            prefix = prefix(text.substring(slash + 1), bits);
        }
        if (a.length == 4) {
            return new Cidr(true, 0, readIpv4(a), prefix);
        }
        return new Cidr(false, readLong(a, 0), readLong(a, 8), prefix);
    }

    private static int prefix(String p, int bits) {
        if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
            throw new IllegalArgumentException("has an invalid prefix length '/" + p + "'");
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("has an invalid prefix length '/" + p + "'");
            }
            v = v * 10 + (c - '0');
        }
        if (v > bits) {
            throw new IllegalArgumentException("has prefix length /" + v + ", more than the " + bits + " bits of the address");
        }
        return v;
    }

    /**
     * Whether the network contains the address (4 or 16 bytes; IPv4-mapped counts as IPv4). A plain
     * comparison, used as the reference the fast {@link IpRuleSet} is tested against.
     */
    public boolean contains(byte[] address) {
        boolean v4 = address.length == 4 || IpAddress.isIpv4Mapped(address);
        if (v4 != ipv4) {
            return false;
        }
        if (v4) {
            long a = readIpv4(address.length == 4 ? address : IpAddress.unmap(address));
            return (a & ~mask(32 - prefixLength)) == lo;
        }
        long h = readLong(address, 0);
        long l = readLong(address, 8);
        return (h & ~mask(hiHostBits(false, prefixLength))) == hi && (l & ~mask(loHostBits(false, prefixLength))) == lo;
    }

    /** First address of the network, IPv6 high half (0 for IPv4). */
    long firstHi() {
        return hi;
    }

    long firstLo() {
        return lo;
    }

    /** Last address of the network, IPv6 high half (0 for IPv4). */
    long lastHi() {
        return hi | mask(hiHostBits(ipv4, prefixLength));
    }

    long lastLo() {
        return lo | mask(loHostBits(ipv4, prefixLength));
    }

    /** Canonical text: the bare address for a single address, else {@code address/n}. */
    @Override
    public String toString() {
        byte[] a;
        if (ipv4) {
            a = new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        } else {
            a = new byte[16];
            for (int i = 0; i < 8; i++) {
                a[i] = (byte) (hi >>> (56 - 8 * i));
                a[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        String address = IpAddress.format(a);
        return prefixLength == (ipv4 ? 32 : 128) ? address : address + "/" + prefixLength;
    }

    static long readIpv4(byte[] a) {
        return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
    }

    static long readLong(byte[] a, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (a[i] & 0xffL);
        }
        return v;
    }

    /** A mask of the lowest n bits, n in 0-64. */
    private static long mask(int n) {
        return n == 0 ? 0 : n == 64 ? -1L : (1L << n) - 1;
    }

    private static int hiHostBits(boolean ipv4, int prefix) {
        return ipv4 ? 0 : Math.max(0, Math.min(64, 64 - prefix));
    }

    private static int loHostBits(boolean ipv4, int prefix) {
        return ipv4 ? 32 - prefix : Math.min(64, 128 - prefix);
    }

    private static long hostHi(boolean ipv4, int prefix, long hi) {
        return hi & mask(hiHostBits(ipv4, prefix));
    }

    private static long hostLo(boolean ipv4, int prefix, long lo) {
        return lo & mask(loHostBits(ipv4, prefix));
    }
}
