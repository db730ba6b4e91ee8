package dev.bulwark.identity.rbac;

import java.util.List;

/**
 * A role: a name, what it allows ({@link Permission}), and where it may be assigned. Built-in roles
 * ({@link BuiltInRoles}) carry Azure's ids and names and are immutable; custom roles are stored.
 *
 * @param id               a lower-case GUID (the ARM {@code name})
 * @param assignableScopes scopes at or under which the role may be assigned; at least one
 */
public record RoleDefinition(String id, String roleName, String description, RoleType type, Permission permissions,
                             List<String> assignableScopes) {
    public static final String ARM_TYPE = "Microsoft.Authorization/roleDefinitions";
    public static final String ID_PREFIX = "/providers/" + ARM_TYPE + "/";
    public static final int MAX_NAME_LENGTH = 512;
    public static final int MAX_DESCRIPTION_LENGTH = 2048;
    public static final int MAX_ASSIGNABLE_SCOPES = 100;

    public RoleDefinition {
        id = Guid.require(id, "InvalidRoleDefinitionId", "a role definition id");
        roleName = RbacText.require(roleName, "roleName", MAX_NAME_LENGTH, "InvalidRoleName");
        description = description == null ? "" : RbacText.optional(description, "description", MAX_DESCRIPTION_LENGTH);
        if (type == null) {
            throw new IllegalArgumentException("type");
        }
        if (permissions == null) {
            throw RbacException.invalid("InvalidPermissions", "permissions are required");
        }
        if (permissions.grantsNothing()) {
            throw RbacException.invalid("InvalidPermissions", "the role grants nothing: give at least one action or data action");
        }
        if (assignableScopes == null || assignableScopes.isEmpty()) {
            throw RbacException.invalid("InvalidAssignableScopes", "assignableScopes must name at least one scope, such as '/'");
        }
        if (assignableScopes.size() > MAX_ASSIGNABLE_SCOPES) {
            throw RbacException.invalid("InvalidAssignableScopes", "at most " + MAX_ASSIGNABLE_SCOPES + " assignable scopes are allowed");
        }
        for (String s : assignableScopes) {
            Scope.validate(s);
        }
        assignableScopes = List.copyOf(assignableScopes);
    }

    /** The ARM resource id, {@code /providers/Microsoft.Authorization/roleDefinitions/<id>}. */
    public String armId() {
        return ID_PREFIX + id;
    }

    /** True if the role may be assigned at {@code scope}: one of its assignable scopes is it or an ancestor. */
    public boolean assignableAt(String scope) {
        for (String s : assignableScopes) {
            if (Scope.covers(s, scope)) {
                return true;
            }
        }
        return false;
    }

    public boolean builtIn() {
        return type == RoleType.BUILT_IN;
    }
}
