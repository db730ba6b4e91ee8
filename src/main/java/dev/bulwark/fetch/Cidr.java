package dev.bulwark.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. Blocks are compared on raw bytes,
 * so an IPv4 block never matches an IPv6 address: an IPv4-mapped IPv6 address is unwrapped by
 * {@link GlobalAddresses} before any block is consulted, never matched by accident.
 *
 * @param network the block's first address, 4 or 16 bytes, host bits zero
 * @param prefix  the number of leading bits that must match
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        if (network == null || (network.length != 4 && network.length != 16)) {
            throw new IllegalArgumentException("a block's network must be 4 or 16 bytes");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " does not fit the address");
        }
        network = network.clone();
        // Host bits set ("10.1.2.3/8") usually mean a typo in an allow-list: refuse rather than guess.
        for (int bit = prefix; bit < network.length * 8; bit++) {
            if ((network[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new IllegalArgumentException("block has host bits set beyond /" + prefix);
            }
        }
    }

    /** Parses {@code a.b.c.d/n} or {@code v6::/n}; only literal addresses, never a name to look up. */
    public static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash != text.lastIndexOf('/')) {
            throw new IllegalArgumentException("not a CIDR block: " + text);
        }
        byte[] address = IpLiteral.parse(text.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not a literal address: " + text));
        int prefix;
        try {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException();
            }
            prefix = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length: " + text);
        }
        return new Cidr(address, prefix);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this block; different families never match. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
