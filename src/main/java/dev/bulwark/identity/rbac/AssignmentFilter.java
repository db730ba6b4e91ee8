package dev.bulwark.identity.rbac;

/**
 * Which role assignments to list.
 *
 * @param scope            null for every scope; else assignments at this scope or under it
 * @param includeInherited with a scope: also the assignments at its ancestors (those that apply there)
 * @param principalId      null for every principal; else only this principal id (exact)
 */
public record AssignmentFilter(String scope, boolean includeInherited, String principalId) {
    public static final AssignmentFilter ALL = new AssignmentFilter(null, false, null);

    public AssignmentFilter {
        if (scope != null) {
            Scope.validate(scope);
        }
        if (principalId != null && principalId.isEmpty()) {
            principalId = null;
        }
    }

    /** True if {@code a} passes this filter. */
    public boolean accepts(RoleAssignment a) {
        if (principalId != null && !principalId.equals(a.principalId())) {
            return false;
        }
        if (scope == null) {
            return true;
        }
        return Scope.covers(scope, a.scope()) || (includeInherited && Scope.covers(a.scope(), scope));
    }
}
