package dev.bulwark.identity.rbac;

import org.junit.jupiter.api.Test;

import static dev.bulwark.identity.rbac.Roles.assign;
import static dev.bulwark.identity.rbac.Roles.policy;
import static dev.bulwark.identity.rbac.Roles.user;
import static org.assertj.core.api.Assertions.assertThat;

/** The built-in roles on deployment actions behave as Azure's, at a deployment's own scope under the account. */
class DeploymentRolesTest {
    private static final String DEPLOYMENT = "/accounts/alpha/deployments/gpt-4o";

    private static boolean can(RoleDefinition role, String action) {
        return policy(assign(role, "holder", PrincipalType.User, "/accounts/alpha")).permitsAction(user("holder"), DEPLOYMENT, action);
    }

    @Test
    void contributorsWriteDeploymentsAndUsersAndReadersOnlyRead() {
        for (RoleDefinition writer : new RoleDefinition[] {BuiltInRoles.OWNER, BuiltInRoles.CONTRIBUTOR,
                BuiltInRoles.COGNITIVE_SERVICES_CONTRIBUTOR, BuiltInRoles.COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR}) {
            assertThat(can(writer, Actions.DEPLOYMENTS_READ)).as(writer.roleName()).isTrue();
            assertThat(can(writer, Actions.DEPLOYMENTS_WRITE)).as(writer.roleName()).isTrue();
            assertThat(can(writer, Actions.DEPLOYMENTS_DELETE)).as(writer.roleName()).isTrue();
        }
        for (RoleDefinition reader : new RoleDefinition[] {BuiltInRoles.READER, BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER,
                BuiltInRoles.COGNITIVE_SERVICES_USER}) {
            assertThat(can(reader, Actions.DEPLOYMENTS_READ)).as(reader.roleName()).isTrue();
            assertThat(can(reader, Actions.DEPLOYMENTS_WRITE)).as(reader.roleName()).isFalse();
            assertThat(can(reader, Actions.DEPLOYMENTS_DELETE)).as(reader.roleName()).isFalse();
        }
        assertThat(can(BuiltInRoles.COGNITIVE_SERVICES_DATA_READER, Actions.DEPLOYMENTS_READ)).as("data actions only").isFalse();
        assertThat(can(BuiltInRoles.CUSTOMER_LOCKBOX_APPROVER, Actions.DEPLOYMENTS_READ)).isFalse();
    }

    @Test
    void anAssignmentOnOneDeploymentDoesNotReachItsSibling() {
        AccessPolicy p = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR, "holder", PrincipalType.User, DEPLOYMENT));
        assertThat(p.permitsAction(user("holder"), DEPLOYMENT, Actions.DEPLOYMENTS_WRITE)).isTrue();
        assertThat(p.permitsAction(user("holder"), "/accounts/alpha/deployments/other", Actions.DEPLOYMENTS_WRITE)).isFalse();
        assertThat(p.permitsAction(user("holder"), "/accounts/alpha", Actions.ACCOUNTS_WRITE)).isFalse();
    }
}
