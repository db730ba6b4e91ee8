package dev.bulwark.identity;

/**
 * Who is calling the management plane, from the Authorization header. Today only the bootstrap
 * admin token; OIDC users and RBAC slot in as further authenticators tried in order.
 */
public interface ManagementAuthenticator {

    /** The principal, or null when this authenticator does not recognise the credential. */
    Principal authenticate(String authorizationHeader);

    static ManagementAuthenticator bootstrapAdmin(AdminToken token) {
        return header -> {
            if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return null;
            }
            return token.matches(header.substring(7).strip()) ? new Principal.BootstrapAdmin() : null;
        };
    }
}
