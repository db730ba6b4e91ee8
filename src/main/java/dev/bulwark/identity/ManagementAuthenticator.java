package dev.bulwark.identity;

/**
 * Who is calling the management plane, from the Authorization header. Today only the bootstrap
 * admin token; OIDC users and RBAC slot in as further authenticators tried in order.
 */
public interface ManagementAuthenticator {

    /** The principal, or null when this authenticator does not recognise the credential. */
    Principal authenticate(String authorizationHeader);

    /** Tries each authenticator in order; the first that recognises the credential wins. */
    static ManagementAuthenticator chain(ManagementAuthenticator... authenticators) {
        return header -> {
            for (ManagementAuthenticator a : authenticators) {
                Principal p = a.authenticate(header);
                if (p != null) {
                    return p;
                }
            }
            return null;
        };
    }

    /** A bearer token checked by a token verifier (workload tokens for the management audience). */
    static ManagementAuthenticator bearer(java.util.function.Function<String, dev.bulwark.identity.token.TokenVerdict> verifier) {
        return header -> {
            if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return verifier.apply(header.substring(7).strip()) instanceof dev.bulwark.identity.token.TokenVerdict.Valid v
                    ? v.principal() : null;
        };
    }

    static ManagementAuthenticator bootstrapAdmin(AdminToken token) {
        return header -> {
            if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return token.matches(header.substring(7).strip()) ? new Principal.BootstrapAdmin() : null;
        };
    }
}
