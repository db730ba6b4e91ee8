package dev.bulwark.server.management;

import dev.bulwark.identity.Principal;

/** Whether a principal may perform a management action at a scope (RBAC plugs in here). */
public interface ManagementAuthorizer {

    boolean permits(Principal principal, String scope, String action);

    /** Before any role exists: only the bootstrap administrator may manage. */
    ManagementAuthorizer BOOTSTRAP_ONLY = (principal, scope, action) -> principal instanceof Principal.BootstrapAdmin;
}
