package dev.bulwark.dlp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An account's {@code allowedFqdnList}, validated and frozen. Entries are exact host names, IPv4
 * addresses or IPv6 addresses; each goes through the same {@link Host} rules as a URL's host, and a
 * URL is allowed only if its normalised host is one of the normalised entries. There is no suffix,
 * prefix or wildcard matching: {@code example.com} does not allow {@code images.example.com}, and
 * {@code images.example.com} does not allow {@code images.example.com.evil.io}. Wildcards are
 * refused when the list is built (as are ports, schemes and paths) rather than read literally, so a
 * list that means something else than it says never reaches the request path.
 */
public final class AllowedFqdns {
    /** Azure's cap on {@code allowedFqdnList}. */
    public static final int MAX_ENTRIES = 1000;

    private static final AllowedFqdns NONE = new AllowedFqdns(Set.of());

    private final Set<String> hosts;

    private AllowedFqdns(Set<String> hosts) {
        this.hosts = hosts;
    }

    /** An empty list: with outbound access restricted, every outbound URL is refused. */
    public static AllowedFqdns none() {
        return NONE;
    }

    /**
     * Validates and freezes {@code entries}.
     *
     * @throws IllegalArgumentException naming the first bad entry and why; nothing is corrected
     */
    public static AllowedFqdns of(List<String> entries) {
        if (entries == null) {
            throw new IllegalArgumentException("allowedFqdnList is required");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("allowedFqdnList has " + entries.size() + " entries; at most " + MAX_ENTRIES + " are allowed");
        }
        Set<String> hosts = new HashSet<>(entries.size() * 2);
        for (int i = 0; i < entries.size(); i++) {
            hosts.add(entry(i, entries.get(i)));
        }
        return new AllowedFqdns(Set.copyOf(hosts));
    }

    private static String entry(int index, String raw) {
        String where = "allowedFqdnList[" + index + "]";
        if (raw == null || raw.isEmpty()) {
            throw new IllegalArgumentException(where + " is empty");
        }
        if (raw.indexOf('*') >= 0) {
            throw new IllegalArgumentException(where + " is a wildcard; list each host name exactly");
        }
        if (raw.indexOf('/') >= 0 || raw.indexOf('@') >= 0 || raw.indexOf('%') >= 0 || raw.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(where + " must be a host name or IP address, not a URL");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c == 0x7F || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(where + " contains whitespace or a control character");
            }
        }
        // A colon outside brackets is either IPv6 or host:port; Host.parse tries IPv6 and refuses the rest.
        try {
            return Host.parse(raw, true).ascii();
        } catch (UrlRefused e) {
            throw new IllegalArgumentException(where + " is not a valid host name or IP address: " + e.getMessage());
        }
    }

    /** Whether {@code url}'s host is on the list. One hash lookup on the normalised host. */
    public boolean allows(ParseResult.Valid url) {
        return hosts.contains(url.host());
    }

    /** How many distinct hosts the list holds (duplicates after normalisation count once). */
    public int size() {
        return hosts.size();
    }

    @Override
    public String toString() {
        return "AllowedFqdns" + hosts;
    }
}
