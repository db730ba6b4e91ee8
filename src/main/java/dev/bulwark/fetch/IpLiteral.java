package dev.bulwark.fetch;

import dev.bulwark.network.IpAddress;

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
        // The project's one IP-literal parser (no DNS; mapped IPv6 stays 16 bytes, judged as such).
        return Optional.ofNullable(text == null ? null : IpAddress.parseOrNull(text));
    }

    static Optional<byte[]> ipv4(String text) {
        return text == null || text.indexOf(':') >= 0 ? Optional.empty() : parse(text);
    }
}
