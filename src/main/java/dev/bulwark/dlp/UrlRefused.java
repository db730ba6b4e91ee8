package dev.bulwark.dlp;

/**
 * Internal signal that a URL or host was refused, carrying the reason. Parsing throws it from deep
 * inside and {@link OutboundUrl#parse} turns it into a {@link ParseResult.Invalid}; it never leaves
 * the package. No stack trace: hostile input is expected, and filling one in would make refusing
 * cost more than accepting.
 */
final class UrlRefused extends RuntimeException {
    UrlRefused(String reason) {
        super(reason, null, false, false);
    }
}
