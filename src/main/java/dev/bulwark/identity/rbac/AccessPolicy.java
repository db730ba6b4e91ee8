package dev.bulwark.identity.rbac;

import dev.bulwark.identity.Principal;
import dev.bulwark.snapshot.AccessRules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may do what, where: every role definition and assignment, frozen and indexed for the
 * per-request check. The snapshot's {@link AccessRules}: built off the hot path (by
 * {@link RbacStore#loadPolicy}, when the snapshot is rebuilt) and never changed; evaluation does no
 * I/O, takes no lock and allocates nothing.
 *
 * <p>Rules, deny by default:
 * <ul>
 *   <li>{@link Principal.BootstrapAdmin}: Owner at {@code /}: every action, no data action, except that
 *       it is also Key Vault Administrator at {@code /vault} (every vault data action).</li>
 *   <li>{@link Principal.AccountKey}: every data action at or under {@code /accounts/<its account>};
 *       nothing else, not even a management read.</li>
 *   <li>{@link Principal.User}: assignments whose principalId is its object id (type User or
 *       ServicePrincipal) or one of its groups (type Group).</li>
 *   <li>{@link Principal.Workload}: assignments whose principalId is its identity id (type ServicePrincipal).</li>
 * </ul>
 * Allowed iff some matching assignment at the scope or an ancestor has a role whose actions (data
 * actions) match and whose notActions (notDataActions) do not. An invalid scope, a null or empty
 * action, an assignment whose role no longer exists: refused.
 */
public final class AccessPolicy implements AccessRules {

    /** No assignments: only the bootstrap admin and keys get anything (what {@link AccessRules#KEYS_AND_BOOTSTRAP_ONLY} allows). */
    public static final AccessPolicy EMPTY = of(BuiltInRoles.all(), List.of());

    private static final CompiledRole OWNER = CompiledRole.of(BuiltInRoles.OWNER);
    private static final CompiledRole KEY_VAULT_ADMINISTRATOR = CompiledRole.of(BuiltInRoles.KEY_VAULT_ADMINISTRATOR);
    private static final Grant[] NONE = new Grant[0];

    /** Assignments of type User or ServicePrincipal, by principal id. */
    private final Map<String, Grant[]> direct;
    /** Assignments of type Group, by group id. */
    private final Map<String, Grant[]> groups;
    /** The keys of {@link #groups}, for iterating without an iterator. */
    private final String[] groupIds;
    private final int assignments;
    private final int skipped;

    private AccessPolicy(Map<String, Grant[]> direct, Map<String, Grant[]> groups, int assignments, int skipped) {
        this.direct = direct;
        this.groups = groups;
        this.groupIds = groups.keySet().toArray(new String[0]);
        this.assignments = assignments;
        this.skipped = skipped;
    }

    /**
     * Compiles every assignment against its role. An assignment whose role is not among
     * {@code definitions} is dropped (it grants nothing) and counted in {@link #skippedAssignments()}.
     */
    public static AccessPolicy of(Collection<RoleDefinition> definitions, Collection<RoleAssignment> assignments) {
        Map<String, CompiledRole> roles = new HashMap<>();
        for (RoleDefinition d : definitions) {
            roles.put(d.id(), CompiledRole.of(d));
        }
        Map<String, List<Grant>> direct = new HashMap<>();
        Map<String, List<Grant>> groups = new HashMap<>();
        int skipped = 0;
        for (RoleAssignment a : assignments) {
            CompiledRole role = roles.get(a.roleDefinitionId());
            if (role == null) {
                skipped++;
                continue;
            }
            Grant g = new Grant(a.scope(), role, a.principalType() == PrincipalType.ServicePrincipal);
            (a.principalType() == PrincipalType.Group ? groups : direct).computeIfAbsent(a.principalId(), k -> new ArrayList<>()).add(g);
        }
        return new AccessPolicy(freeze(direct), freeze(groups), assignments.size() - skipped, skipped);
    }

    private static Map<String, Grant[]> freeze(Map<String, List<Grant>> m) {
        Map<String, Grant[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.toArray(NONE)));
        return Map.copyOf(out);
    }

    /** May {@code p} perform the management {@code action} at {@code scope}? */
    @Override
    public boolean permitsAction(Principal p, String scope, String action) {
        if (p == null || action == null || action.isEmpty() || !Scope.isValid(scope)) {
            return false;
        }
        return switch (p) {
            case Principal.BootstrapAdmin admin -> OWNER.allowsAction(action);
            case Principal.AccountKey key -> false;
            case Principal.User user -> userAllowed(user, scope, action, false);
            case Principal.Workload workload -> anyAllows(grantsOf(workload.identityId()), true, scope, action, false);
        };
    }

    /** May {@code p} perform the data-plane {@code dataAction} at {@code scope} (an account, or something under one)? */
    @Override
    public boolean permitsDataAction(Principal p, String scope, String dataAction) {
        if (p == null || dataAction == null || dataAction.isEmpty() || !Scope.isValid(scope)) {
            return false;
        }
        return switch (p) {
            // Someone must be able to seed the vault before any role exists: the bootstrap admin is also
            // Key Vault Administrator of the built-in vault (and of nothing else's data).
            case Principal.BootstrapAdmin admin -> OWNER.allowsDataAction(dataAction)
                    || (Scope.covers(Scope.VAULT, scope) && KEY_VAULT_ADMINISTRATOR.allowsDataAction(dataAction));
            case Principal.AccountKey key -> withinAccount(key.account(), scope);
            case Principal.User user -> userAllowed(user, scope, dataAction, true);
            case Principal.Workload workload -> anyAllows(grantsOf(workload.identityId()), true, scope, dataAction, true);
        };
    }

    /** How many assignments the policy holds (those whose role exists). */
    public int assignmentCount() {
        return assignments;
    }

    /** Assignments dropped because their role does not exist. Zero unless the store was edited behind the service's back. */
    public int skippedAssignments() {
        return skipped;
    }

    private boolean userAllowed(Principal.User user, String scope, String action, boolean data) {
        if (anyAllows(grantsOf(user.objectId()), false, scope, action, data)) {
            return true;
        }
        if (groupIds.length == 0) {
            return false;
        }
        Set<String> memberOf = user.groups();
        if (memberOf.isEmpty()) {
            return false;
        }
        // Walk the shorter side. Iterating our array allocates nothing; iterating the user's set
        // allocates one iterator, worth it only when the user is in far fewer groups than are assigned.
        if (groupIds.length <= memberOf.size() * 4) {
            for (String g : groupIds) {
                if (memberOf.contains(g) && anyAllows(groups.get(g), false, scope, action, data)) {
                    return true;
                }
            }
            return false;
        }
        for (String g : memberOf) {
            if (anyAllows(groups.get(g), false, scope, action, data)) {
                return true;
            }
        }
        return false;
    }

    private Grant[] grantsOf(String principalId) {
        return principalId == null ? null : direct.get(principalId);
    }

    private static boolean anyAllows(Grant[] grants, boolean servicePrincipalsOnly, String scope, String action, boolean data) {
        if (grants == null) {
            return false;
        }
        for (Grant g : grants) {
            if (servicePrincipalsOnly && !g.servicePrincipal) {
                continue;
            }
            if (Scope.covers(g.scope, scope) && (data ? g.role.allowsDataAction(action) : g.role.allowsAction(action))) {
                return true;
            }
        }
        return false;
    }

    /** {@code scope} is {@code /accounts/<account>} or under it, without building that string. */
    private static boolean withinAccount(String account, String scope) {
        int prefix = "/accounts/".length();
        int end = prefix + account.length();
        return scope.startsWith("/accounts/") && scope.startsWith(account, prefix)
                && (scope.length() == end || scope.charAt(end) == '/');
    }

    private record Grant(String scope, CompiledRole role, boolean servicePrincipal) {
    }

    /** A role's four lists as compiled patterns. */
    private record CompiledRole(ActionPattern[] actions, ActionPattern[] notActions, ActionPattern[] dataActions,
                                ActionPattern[] notDataActions) {
        static CompiledRole of(RoleDefinition d) {
            Permission p = d.permissions();
            return new CompiledRole(compile(p.actions()), compile(p.notActions()), compile(p.dataActions()), compile(p.notDataActions()));
        }

        boolean allowsAction(String action) {
            return any(actions, action) && !any(notActions, action);
        }

        boolean allowsDataAction(String action) {
            return any(dataActions, action) && !any(notDataActions, action);
        }

        private static boolean any(ActionPattern[] patterns, String action) {
            for (ActionPattern p : patterns) {
                if (p.matches(action)) {
                    return true;
                }
            }
            return false;
        }

        private static ActionPattern[] compile(List<String> entries) {
            ActionPattern[] out = new ActionPattern[entries.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ActionPattern.compile(entries.get(i));
            }
            return out;
        }
    }
}
