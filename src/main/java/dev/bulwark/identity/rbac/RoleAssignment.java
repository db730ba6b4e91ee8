package dev.bulwark.identity.rbac;

/**
 * A role given to a principal at a scope. Applies at the scope and everything under it.
 *
 * @param id               a lower-case GUID (the ARM {@code name}), chosen by the client as in ARM
 * @param roleDefinitionId the role's lower-case GUID
 * @param principalId      the user's object id, the group's id, or the workload identity's id, compared exactly
 */
public record RoleAssignment(String id, String roleDefinitionId, String principalId, PrincipalType principalType, String scope) {
    public static final String ARM_TYPE = "Microsoft.Authorization/roleAssignments";
    public static final int MAX_PRINCIPAL_ID_LENGTH = 256;

    public RoleAssignment {
        id = Guid.require(id, "InvalidRoleAssignmentId", "a role assignment id");
        roleDefinitionId = Guid.require(roleDefinitionId, "InvalidRoleDefinitionId", "roleDefinitionId");
        principalId = RbacText.require(principalId, "principalId", MAX_PRINCIPAL_ID_LENGTH, "InvalidPrincipalId");
        if (principalType == null) {
            throw RbacException.invalid("InvalidPrincipalType", "principalType is required: User, Group or ServicePrincipal");
        }
        scope = Scope.validate(scope);
    }

    /** The ARM resource id: {@code <scope>/providers/Microsoft.Authorization/roleAssignments/<id>}, as Azure spells it. */
    public String armId() {
        return armId(scope, id);
    }

    public static String armId(String scope, String id) {
        return (scope.equals(Scope.ROOT) ? "" : scope) + "/providers/" + ARM_TYPE + "/" + id;
    }

    /** Same role, principal and scope (the assignment's identity in Azure, whatever its id). */
    public boolean sameGrantAs(RoleAssignment o) {
        return roleDefinitionId.equals(o.roleDefinitionId) && principalId.equals(o.principalId) && scope.equals(o.scope);
    }
}
