package dev.bulwark.dlp;

/** What a URL's host is, once parsed: a DNS name, an IPv4 address or an IPv6 address. */
public enum HostKind {
    /** An ASCII (IDNA) host name, lower-case, without a trailing dot. */
    DNS,
    /** A dotted-quad IPv4 address in canonical decimal form, such as {@code 203.0.113.7}. */
    IPV4,
    /** An IPv6 address in RFC 5952 form (lower-case, compressed), without brackets. */
    IPV6
}
