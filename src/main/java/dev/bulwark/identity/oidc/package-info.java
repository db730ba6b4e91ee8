/**
 * Bearer tokens from trusted OIDC issuers (Entra ID, Keycloak, ...).
 *
 * <ul>
 *   <li>{@link dev.bulwark.identity.oidc.TrustedIssuers} / {@link dev.bulwark.identity.oidc.TrustedIssuer}:
 *       the configuration ({@code oidc.issuer.<name>.<field>} keys), validated at startup and frozen;</li>
 *   <li>{@link dev.bulwark.identity.oidc.OidcKeys}: discovery and JWKS, fetched off the event loop, cached
 *       as immutable {@link dev.bulwark.identity.oidc.JwksSnapshot}s, refreshed at most once per 30 s per
 *       issuer;</li>
 *   <li>{@link dev.bulwark.identity.oidc.OidcTokenVerifier}: the explicit checks, and the cache of verified
 *       tokens; its answer is an {@link dev.bulwark.identity.oidc.OidcVerdict}.</li>
 * </ul>
 *
 * Wiring, in order: {@code TrustedIssuers.fromProperties(file)}, {@code new OidcKeys(issuers, clock)},
 * {@code keys.prefetch()} (do not wait on it on an event loop), {@code new OidcTokenVerifier(issuers, keys, clock)};
 * {@code keys.close()} on shutdown.
 */
package dev.bulwark.identity.oidc;
