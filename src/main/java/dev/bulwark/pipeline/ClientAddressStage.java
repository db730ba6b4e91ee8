package dev.bulwark.pipeline;

import dev.bulwark.network.ForwardingHeader;
import dev.bulwark.network.IpAddress;
import dev.bulwark.network.IpRuleSet;

import java.util.List;
import java.util.logging.Logger;

/**
 * The client address: who the network rules and the audit records say is calling.
 *
 * <ul>
 *   <li>The socket peer, unless the peer is in the configured trusted proxy networks
 *       ({@code trusted.proxies}). Forwarding headers from any other peer are ignored: not
 *       parsed, not logged, not echoed.</li>
 *   <li>From a trusted proxy: only the one header the proxies are configured to write
 *       ({@code trusted.proxies.header}: {@code X-Forwarded-For} by default, or {@code Forwarded},
 *       RFC 7239, its {@code for=} parameters). The other header is never read, not even as a
 *       fallback: most proxies append to one header and pass a client's own copy of the other
 *       through, so reading it would let the client choose its address. {@code X-Real-IP} is never
 *       used: it has no chain, so a proxy that passes a client's own value through cannot be told
 *       from one that set it.</li>
 *   <li>The chain is walked from the right (the hop the proxy itself appended) leftwards, skipping
 *       hops that are themselves trusted proxies; the first untrusted hop is the client. Entries to
 *       its left were written by the client and may be forged, so they are never read, not even
 *       split: the walk reads the header from its end and stops there. If every hop is trusted,
 *       the left-most is the client. At most {@link #MAX_HOPS} hops are examined.</li>
 *   <li>Hops must be strict IP literals ({@link IpAddress}). Anything the walk reaches that is not
 *       one ({@code for=unknown}, an obfuscated {@code _token}, a host name, garbage), or a chain
 *       longer than {@link #MAX_HOPS} trusted hops, makes the client address {@link #UNKNOWN}: an
 *       address no network rule matches (fail closed), audited as {@code unknown}. Never the
 *       proxy's own address (an account allowing the proxy's network would let anyone in) and
 *       never the header's text.</li>
 * </ul>
 *
 * <p>With no trusted proxies configured (the default) this is the socket peer's text and costs
 * nothing; otherwise the peer is parsed once to test it against the set.
 */
public final class ClientAddressStage implements Stage {
    private static final Logger LOG = Logger.getLogger(ClientAddressStage.class.getName());

    /**
     * The client address when a trusted proxy's chain could not be read: not an IP literal, so it
     * matches no network rule ({@link NetworkRuleStage}), and it is what the audit shows.
     */
    public static final String UNKNOWN = "unknown";

    /** The most hops of a chain examined, right to left; a longer all-trusted chain is {@link #UNKNOWN}. */
    public static final int MAX_HOPS = 32;

    private final IpRuleSet trustedProxies;
    private final boolean anyTrusted;
    private final ForwardingHeader header;

    /** No trusted proxies: the client address is always the socket peer. */
    public ClientAddressStage() {
        this(IpRuleSet.EMPTY);
    }

    /** Trusted proxies that write {@code X-Forwarded-For} (the default header). */
    public ClientAddressStage(IpRuleSet trustedProxies) {
        this(trustedProxies, ForwardingHeader.X_FORWARDED_FOR);
    }

    /** @param header the one forwarding header the trusted proxies write; the other is never read */
    public ClientAddressStage(IpRuleSet trustedProxies, ForwardingHeader header) {
        this.trustedProxies = trustedProxies;
        this.anyTrusted = trustedProxies.rangeCount() > 0;
        this.header = java.util.Objects.requireNonNull(header, "header");
    }

    @Override
    public String name() {
        return "client-address";
    }

    @Override
    public StageResult apply(RequestContext c) {
        return StageResult.next(c.withClientAddress(decide(c.head())));
    }

    /**
     * The client address for a request head: the socket peer's text, a canonical address taken
     * from the forwarding header, or {@link #UNKNOWN}.
     */
    public String decide(RequestHead head) {
        String peer = head.peerAddress();
        if (!anyTrusted || !trustedProxies.contains(head.peerAddressBytes())) {
            return peer;
        }
        List<String> values = head.headerValues(header.headerName());
        if (values.isEmpty()) {
            return peer;
        }
        byte[] client = header == ForwardingHeader.FORWARDED ? walkForwarded(values) : walkXff(values);
        if (client == null) {
            // The reason only: the header value is the caller's text and is never logged.
            LOG.fine("forwarding header from trusted proxy is not a usable chain; the client address is unknown");
            return UNKNOWN;
        }
        return IpAddress.format(IpAddress.unmap(client));
    }

    /**
     * X-Forwarded-For: bare IP literals separated by commas, across all values (header lines in
     * order). Walked from the end: the first untrusted hop; the left-most if all are trusted; null
     * if an unusable entry is reached first or more than {@link #MAX_HOPS} hops would be needed.
     */
    byte[] walkXff(List<String> values) {
        int examined = 0;
        byte[] leftMost = null;
        for (int v = values.size() - 1; v >= 0; v--) {
            String s = values.get(v);
            int end = s.length();
            while (true) {
                int comma = s.lastIndexOf(',', end - 1);
                if (++examined > MAX_HOPS) {
                    return null;
                }
                byte[] hop = literal(s, comma + 1, end);
                if (hop == null) {
                    return null; // unusable entry reached before an untrusted one
                }
                if (!trustedProxies.contains(hop)) {
                    return hop;
                }
                leftMost = hop;
                if (comma < 0) {
                    break;
                }
                end = comma;
            }
        }
        return leftMost;
    }

    /** An IP literal in s[from, to) between optional whitespace, or null; never copies more than a literal's length. */
    private static byte[] literal(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        if (to - from == 0 || to - from > 45) {
            return null;
        }
        return IpAddress.parseOrNull(s.substring(from, to));
    }

    /**
     * Forwarded (RFC 7239): elements separated by commas, pairs by semicolons, quoted strings
     * protecting both. Walked from the end like {@link #walkXff}: each element's {@code for=} node
     * as an address. Unusable (null): an element without one, or whose node is not an IP literal
     * ({@code unknown}, obfuscated, malformed), an escape or unterminated quote in an element
     * reached, more than {@link #MAX_HOPS} hops.
     */
    byte[] walkForwarded(List<String> values) {
        int examined = 0;
        byte[] leftMost = null;
        for (int v = values.size() - 1; v >= 0; v--) {
            String s = values.get(v);
            int end = s.length();
            while (true) {
                // The element's start: the comma before it outside quotes (quotes read right to left).
                int i = end - 1;
                boolean quoted = false;
                while (i >= 0) {
                    char ch = s.charAt(i);
                    if (ch == '"') {
                        quoted = !quoted;
                    } else if (ch == '\\') {
                        return null; // quoted-pair escapes are not needed for addresses: refused
                    } else if (ch == ',' && !quoted) {
                        break;
                    }
                    i--;
                }
                if (quoted) {
                    return null; // unterminated quoted string
                }
                if (++examined > MAX_HOPS) {
                    return null;
                }
                byte[] hop = forNode(s, i + 1, end);
                if (hop == null) {
                    return null;
                }
                if (!trustedProxies.contains(hop)) {
                    return hop;
                }
                leftMost = hop;
                if (i < 0) {
                    break;
                }
                end = i;
            }
        }
        return leftMost;
    }

    /** The address of the first {@code for=} pair of the element s[from, to) (quotes balanced, no escapes), or null. */
    private static byte[] forNode(String s, int from, int to) {
        int pairStart = from;
        boolean quoted = false;
        for (int i = from; i <= to; i++) {
            char ch = i < to ? s.charAt(i) : ';';
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ';' && !quoted) {
                int eq = pairStart;
                while (eq < i && s.charAt(eq) != '=') {
                    eq++;
                }
                if (eq < i && isFor(s, pairStart, eq)) {
                    String value = s.substring(eq + 1, i).strip();
                    return value.length() > 128 ? null : node(value);
                }
                pairStart = i + 1;
            }
        }
        return null;
    }

    /** Whether s[from, to) is {@code for}, case-insensitive, between optional whitespace. */
    private static boolean isFor(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to - from == 3 && s.regionMatches(true, from, "for", 0, 3);
    }

    /** A {@code for=} value: {@code 192.0.2.1}, {@code "192.0.2.1:80"}, {@code "[2001:db8::1]:4711"}; else null. */
    static byte[] node(String value) {
        String v = value;
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        }
        String host;
        String port = null;
        if (v.startsWith("[")) {
            int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = v.substring(1, close);
            String rest = v.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    return null;
                }
                port = rest.substring(1);
            }
            byte[] a = IpAddress.parseOrNull(host);
            return a != null && a.length == 16 && validPort(port) ? a : null;
        }
        int colon = v.indexOf(':');
        if (colon >= 0) {
            host = v.substring(0, colon);
            port = v.substring(colon + 1);
        } else {
            host = v;
        }
        byte[] a = IpAddress.parseOrNull(host);
        return a != null && a.length == 4 && validPort(port) ? a : null;
    }

    private static boolean validPort(String port) {
        if (port == null) {
            return true;
        }
        if (port.isEmpty() || port.length() > 64) {
            return false;
        }
        if (port.charAt(0) == '_') { // obfuscated port (RFC 7239 6.3): the address is still usable
            for (int i = 1; i < port.length(); i++) {
                char ch = port.charAt(i);
                if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '.' && ch != '_' && ch != '-') {
                    return false;
                }
            }
            return port.length() > 1;
        }
        if (port.length() > 5) {
            return false;
        }
        for (int i = 0; i < port.length(); i++) {
            if (port.charAt(i) < '0' || port.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(port) <= 65535;
    }
}
