package dev.bulwark.identity.rbac;

import org.junit.jupiter.api.Test;

import static dev.bulwark.identity.rbac.Roles.assign;
import static dev.bulwark.identity.rbac.Roles.policy;
import static dev.bulwark.identity.rbac.Roles.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Usage is read like the audit log and metrics: Reader, Contributor and Owner, through their wildcards. */
class UsageReadRolesTest {
    private static boolean canReadUsage(RoleDefinition role) {
        return policy(assign(role, "u", PrincipalType.User, "/accounts/alpha"))
                .permitsAction(user("u"), "/accounts/alpha", Actions.USAGE_READ);
    }

    @Test
    void theGeneralReadersReadUsageAndTheServiceRolesDoNot() {
        assertThat(Actions.MANAGEMENT).contains(Actions.USAGE_READ);
        assertThat(canReadUsage(BuiltInRoles.OWNER)).isTrue();
        assertThat(canReadUsage(BuiltInRoles.CONTRIBUTOR)).isTrue();
        assertThat(canReadUsage(BuiltInRoles.READER)).isTrue();
        // As with Bulwark/audit/read: roles scoped to Microsoft.CognitiveServices/* do not reach Bulwark/*.
        assertThat(canReadUsage(BuiltInRoles.COGNITIVE_SERVICES_USER)).isFalse();
        assertThat(canReadUsage(BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER)).isFalse();
        assertThat(canReadUsage(BuiltInRoles.COGNITIVE_SERVICES_DATA_READER)).isFalse();
    }
}
