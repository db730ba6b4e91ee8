package dev.bulwark.identity.oidc;

/** Discovery or JWKS of a trusted issuer could not be fetched or was refused; the message says which and why. */
public final class OidcFetchException extends RuntimeException {
    public OidcFetchException(String message) {
        super(message);
    }

    public OidcFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
