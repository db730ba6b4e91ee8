package dev.bulwark.identity.rbac;

import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Test helpers: principals, custom roles and policies in one line each. */
final class Roles {
    private Roles() {
    }

    static Principal.User user(String objectId, String... groups) {
        return new Principal.User("https://idp.example", objectId, Set.of(groups), objectId);
    }

    static Principal.Workload workload(String id) {
        return new Principal.Workload(id, "wl-" + id);
    }

    static Principal.AccountKey key(String account) {
        return new Principal.AccountKey(account, KeyName.KEY1);
    }

    static RoleDefinition custom(String name, List<String> actions, List<String> notActions, List<String> dataActions,
                                 List<String> notDataActions, String... assignableScopes) {
        return new RoleDefinition(UUID.randomUUID().toString(), name, "test role", RoleType.CUSTOM,
                new Permission(actions, notActions, dataActions, notDataActions),
                assignableScopes.length == 0 ? List.of("/") : List.of(assignableScopes));
    }

    static RoleAssignment assign(RoleDefinition role, String principalId, PrincipalType type, String scope) {
        return new RoleAssignment(UUID.randomUUID().toString(), role.id(), principalId, type, scope);
    }

    /** Built-ins plus {@code extra} roles, with these assignments. */
    static AccessPolicy policy(List<RoleDefinition> extra, RoleAssignment... assignments) {
        List<RoleDefinition> all = new ArrayList<>(BuiltInRoles.all());
        all.addAll(extra);
        return AccessPolicy.of(all, List.of(assignments));
    }

    static AccessPolicy policy(RoleAssignment... assignments) {
        return policy(List.of(), assignments);
    }
}
