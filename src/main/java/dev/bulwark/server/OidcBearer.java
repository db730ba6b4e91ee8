package dev.bulwark.server;

import dev.bulwark.identity.ManagementAuthenticator;
import dev.bulwark.identity.oidc.OidcTokenVerifier;
import dev.bulwark.identity.oidc.OidcVerdict;
import dev.bulwark.pipeline.BearerVerifier;

/** Tokens from trusted OIDC issuers, as a data-plane bearer verifier and as a management authenticator. */
final class OidcBearer {
    private OidcBearer() {
    }

    static BearerVerifier forDataPlane(OidcTokenVerifier oidc) {
        return (token, account) -> switch (oidc.verify(token)) {
            case OidcVerdict.Valid v -> new BearerVerifier.Verdict.Valid(v.principal());
            case OidcVerdict.Invalid i -> new BearerVerifier.Verdict.Invalid(i.reason());
            case OidcVerdict.NotOurs n -> new BearerVerifier.Verdict.Invalid(DataPlaneBearerVerifier.NOT_TRUSTED);
        };
    }

    static ManagementAuthenticator forManagement(OidcTokenVerifier oidc) {
        return header -> {
            if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return oidc.verify(header.substring(7).strip()) instanceof OidcVerdict.Valid v ? v.principal() : null;
        };
    }
}
