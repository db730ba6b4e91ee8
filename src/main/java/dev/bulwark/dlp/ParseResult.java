package dev.bulwark.dlp;

import java.util.Objects;

/** What {@link OutboundUrl#parse} made of a URL: not outbound, a checked URL, or refused. */
public sealed interface ParseResult {

    /** A {@code data:} URL: the content is inline, nothing is fetched, so there is no host to check. */
    record Data() implements ParseResult {
    }

    /**
     * A URL that passed every rule. Only {@code host} (with {@code kind}) takes part in the allow-list
     * decision; the rest is kept for callers that log or rebuild the URL.
     *
     * @param scheme   {@code https}, or {@code http} when the policy allows it; lower-case
     * @param host     the normalised host (see {@link Host})
     * @param kind     DNS name, IPv4 or IPv6
     * @param port     the explicit port, or the scheme's default (443, 80)
     * @param path     the raw path, possibly empty
     * @param query    the raw query without {@code ?}, or empty
     * @param fragment the raw fragment without {@code #}, or empty
     */
    record Valid(String scheme, String host, HostKind kind, int port, String path, String query, String fragment)
            implements ParseResult {
        public Valid {
            Objects.requireNonNull(scheme);
            Objects.requireNonNull(host);
            Objects.requireNonNull(kind);
            Objects.requireNonNull(path);
            Objects.requireNonNull(query);
            Objects.requireNonNull(fragment);
        }
    }

    /** A refused URL, with a short reason for logs (never shown to the client, who sees the host). */
    record Invalid(String reason) implements ParseResult {
    }
}
