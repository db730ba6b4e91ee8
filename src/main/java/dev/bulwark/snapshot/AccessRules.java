package dev.bulwark.snapshot;

import dev.bulwark.identity.Principal;

/**
 * Who may do what where, as the data and management planes ask it on every request. Implemented by
 * RBAC's access policy; held in the snapshot so a change of roles applies on the next request.
 * Implementations must be immutable and do no I/O.
 */
public interface AccessRules {

    boolean permitsAction(Principal principal, String scope, String action);

    boolean permitsDataAction(Principal principal, String scope, String dataAction);

    /**
     * With no role assignments: a key (or a token exchanged for one) may do every data action of its
     * own account; the bootstrap administrator may do every management action; nobody else anything.
     */
    AccessRules KEYS_AND_BOOTSTRAP_ONLY = new AccessRules() {
        @Override
        public boolean permitsAction(Principal principal, String scope, String action) {
            return principal instanceof Principal.BootstrapAdmin;
        }

        @Override
        public boolean permitsDataAction(Principal principal, String scope, String dataAction) {
            return principal instanceof Principal.AccountKey key
                    && (scope.equals("/accounts/" + key.account()) || scope.startsWith("/accounts/" + key.account() + "/"));
        }
    };
}
