package dev.bulwark.server.tls;

/**
 * TLS configuration Bulwark refuses to start with: a missing key, unreadable or malformed PEM, a key that
 * does not match its certificate, an expired certificate, a weak key. The message says what to fix; the
 * boot stops rather than quietly serving with something else (STYLE.md 5).
 */
public final class TlsConfigurationException extends IllegalArgumentException {
    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
