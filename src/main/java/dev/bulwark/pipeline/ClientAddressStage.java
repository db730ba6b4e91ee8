package dev.bulwark.pipeline;

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
 *   <li>From a trusted proxy: the forwarding chain is walked from the right (the hop the proxy
 *       itself appended) leftwards, skipping hops that are themselves trusted proxies; the first
 *       untrusted hop is the client. Entries to its left were written by the client and may be
 *       forged, so they are never read. If every hop is trusted, the left-most is the client.</li>
 *   <li>{@code Forwarded} (RFC 7239, its {@code for=} parameters) is preferred when present;
 *       otherwise {@code X-Forwarded-For}. {@code X-Real-IP} is never used: it has no chain, so a
 *       proxy that passes a client's own value through cannot be told from one that set it.</li>
 *   <li>Hops must be strict IP literals ({@link IpAddress}). Anything the walk reaches that is not
 *       one ({@code for=unknown}, an obfuscated {@code _token}, a host name, garbage) makes the
 *       client address the proxy's own address: never a value that cannot be matched by a rule,
 *       and never one the client chose.</li>
 * </ul>
 *
 * <p>With no trusted proxies configured (the default) this is the socket peer's text and costs
 * nothing; otherwise the peer is parsed once to test it against the set.
 */
public final class ClientAddressStage implements Stage {
    private static final Logger LOG = Logger.getLogger(ClientAddressStage.class.getName());

    private final IpRuleSet trustedProxies;
    private final boolean anyTrusted;

    /** No trusted proxies: the client address is always the socket peer. */
    public ClientAddressStage() {
        this(IpRuleSet.EMPTY);
    }

    public ClientAddressStage(IpRuleSet trustedProxies) {
        this.trustedProxies = trustedProxies;
        this.anyTrusted = trustedProxies.rangeCount() > 0;
    }

    @Override
    public String name() {
        return "client-address";
    }

    @Override
    public StageResult apply(RequestContext c) {
        return StageResult.next(c.withClientAddress(decide(c.head())));
    }

    /** The client address for a request head (text: canonical for addresses taken from headers). */
    public String decide(RequestHead head) {
        String peer = head.peerAddress();
        if (!anyTrusted || !trustedProxies.contains(head.peerAddressBytes())) {
            return peer;
        }
        List<String> forwarded = head.headerValues("Forwarded");
        byte[] client;
        if (!forwarded.isEmpty()) {
            client = walk(forwardedHops(forwarded));
        } else {
            List<String> xff = head.headerValues("X-Forwarded-For");
            if (xff.isEmpty()) {
                return peer;
            }
            client = walk(xffHops(xff));
        }
        if (client == null) {
            // The reason only: the header value is the caller's text and is never logged.
            LOG.fine("forwarding header from trusted proxy is not a usable chain; using the proxy's address");
            return peer;
        }
        return IpAddress.format(IpAddress.unmap(client));
    }

    /** Right to left: the first hop not in the trusted set; the left-most if all are; null if a hop reached is unusable. */
    private byte[] walk(List<byte[]> hops) {
        if (hops == null || hops.isEmpty()) {
            return null;
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = hops.get(i);
            if (hop == null) {
                return null; // unusable entry reached before an untrusted one
            }
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return hops.get(0);
    }

    /** X-Forwarded-For: bare IP literals separated by commas, across all values. A bad entry is null. */
    static List<byte[]> xffHops(List<String> values) {
        List<byte[]> hops = new java.util.ArrayList<>();
        for (String v : values) {
            for (String entry : v.split(",", -1)) {
                hops.add(IpAddress.parseOrNull(entry.strip()));
            }
        }
        return hops;
    }

    /**
     * Forwarded (RFC 7239): elements separated by commas, pairs by semicolons; each element's
     * {@code for=} node as an address, or null if it has none or it is not an IP literal
     * ({@code unknown}, obfuscated, malformed). Returns null if the header cannot be split
     * (an unterminated quoted string, an escape).
     */
    static List<byte[]> forwardedHops(List<String> values) {
        List<byte[]> hops = new java.util.ArrayList<>();
        for (String v : values) {
            if (v.indexOf('\\') >= 0 || countQuotes(v) % 2 != 0) {
                return null;
            }
            for (String element : splitOutsideQuotes(v, ',')) {
                byte[] node = null;
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    if (pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
                        node = node(pair.substring(eq + 1).strip());
                        break;
                    }
                }
                hops.add(node);
            }
        }
        return hops;
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

    private static int countQuotes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new java.util.ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == separator && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
