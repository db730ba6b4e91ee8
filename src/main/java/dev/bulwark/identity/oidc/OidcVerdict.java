package dev.bulwark.identity.oidc;

import dev.bulwark.identity.Principal;

import java.time.Instant;

/** What {@link OidcTokenVerifier} concluded about a bearer token. */
public sealed interface OidcVerdict {

    /** The token is good: it acts as {@code principal} until {@code expiresAt} (its {@code exp}). */
    record Valid(Principal.User principal, Instant expiresAt) implements OidcVerdict {
    }

    /**
     * The token claims a trusted issuer (or is unreadable) and failed a check. {@code reason} is a
     * fixed phrase for the audit record; it never quotes the token or attacker-chosen header values.
     */
    record Invalid(String reason) implements OidcVerdict {
    }

    /**
     * Not a token of any trusted OIDC issuer: not three dot-separated segments (an account key, say), or
     * its {@code iss} is missing or not configured. Another verifier (Bulwark's own tokens) may try;
     * if none claims it, the request is refused.
     */
    record NotOurs() implements OidcVerdict {
        static final NotOurs INSTANCE = new NotOurs();
    }
}
