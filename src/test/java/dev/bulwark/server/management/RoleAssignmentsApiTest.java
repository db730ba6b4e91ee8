package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.rbac.Actions;
import dev.bulwark.identity.rbac.BuiltInRoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.bulwark.server.management.RbacApiFixture.ADMIN;
import static dev.bulwark.server.management.RbacApiFixture.assignmentBody;
import static dev.bulwark.server.management.RbacApiFixture.user;
import static org.assertj.core.api.Assertions.assertThat;

class RoleAssignmentsApiTest {
    @TempDir
    Path dir;
    RbacApiFixture api;

    private static final String USER_ROLE = BuiltInRoles.COGNITIVE_SERVICES_USER.id();

    @BeforeEach
    void open() {
        api = new RbacApiFixture(dir);
    }

    @AfterEach
    void close() {
        api.close();
    }

    private String create(Principal who, String role, String principal, String type, String scope) {
        String id = UUID.randomUUID().toString();
        var r = api.call(who, "PUT", "/roleAssignments/" + id, assignmentBody(role, principal, type, scope));
        assertThat(r.status()).as(r.json() == null ? "" : r.json().toString()).isEqualTo(201);
        return id;
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("value").forEach(a -> out.add(a.path("name").asText()));
        return out;
    }

    @Test
    void putGetListDeleteRoundTripInArmShape() {
        String id = UUID.randomUUID().toString();
        var created = api.call(ADMIN, "PUT", "/roleAssignments/" + id, assignmentBody(USER_ROLE, "oid-1", "User", "/accounts/alpha"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode a = created.json();
        assertThat(a.get("id").asText()).isEqualTo("/accounts/alpha/providers/Microsoft.Authorization/roleAssignments/" + id);
        assertThat(a.get("name").asText()).isEqualTo(id);
        assertThat(a.get("type").asText()).isEqualTo("Microsoft.Authorization/roleAssignments");
        assertThat(a.at("/properties/roleDefinitionId").asText()).isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + USER_ROLE);
        assertThat(a.at("/properties/principalId").asText()).isEqualTo("oid-1");
        assertThat(a.at("/properties/principalType").asText()).isEqualTo("User");
        assertThat(a.at("/properties/scope").asText()).isEqualTo("/accounts/alpha");
        // The audit record lands under the account, so an account's audit trail shows who was given access to it.
        assertThat(created.raw().resourceId()).startsWith("/accounts/alpha/");
        assertThat(created.raw().auditProperties()).containsEntry("principalId", "oid-1").containsEntry("scope", "/accounts/alpha")
                .containsEntry("roleDefinitionId", USER_ROLE);
        assertThat(api.changes).hasValue(1);

        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/" + id, assignmentBody(USER_ROLE, "oid-1", "User", "/accounts/alpha")).status())
                .as("idempotent").isEqualTo(200);
        assertThat(api.call(ADMIN, "GET", "/roleAssignments/" + id, null).json()).isEqualTo(a);
        assertThat(ids(api.call(ADMIN, "GET", "/roleAssignments", null).json())).containsExactly(id);

        var deleted = api.call(ADMIN, "DELETE", "/roleAssignments/" + id, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(a);
        assertThat(api.call(ADMIN, "GET", "/roleAssignments/" + id, null).status()).isEqualTo(404);
        assertThat(api.call(ADMIN, "GET", "/roleAssignments/" + id, null).code()).isEqualTo("RoleAssignmentNotFound");
        assertThat(api.call(ADMIN, "DELETE", "/roleAssignments/" + id, null).status()).isEqualTo(204);
    }

    @Test
    void theAssignmentTakesEffectForTheNextCheck() {
        Principal dev = user("dev");
        assertThat(api.permits(dev, "/accounts/alpha", Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        String id = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/alpha");
        assertThat(api.permits(dev, "/accounts/alpha", Actions.ACCOUNTS_LIST_KEYS)).isTrue();
        api.call(ADMIN, "DELETE", "/roleAssignments/" + id, null);
        assertThat(api.permits(dev, "/accounts/alpha", Actions.ACCOUNTS_LIST_KEYS)).isFalse();
    }

    @Test
    void errorsCarryArmCodes() {
        create(ADMIN, USER_ROLE, "oid-1", "User", "/accounts/alpha");
        var dup = api.call(ADMIN, "PUT", "/roleAssignments/" + UUID.randomUUID(), assignmentBody(USER_ROLE, "oid-1", "Group", "/accounts/alpha"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.code()).isEqualTo("RoleAssignmentExists");

        var noRole = api.call(ADMIN, "PUT", "/roleAssignments/" + UUID.randomUUID(),
                assignmentBody(UUID.randomUUID().toString(), "oid-1", "User", "/"));
        assertThat(noRole.status()).isEqualTo(400);
        assertThat(noRole.code()).isEqualTo("RoleDefinitionDoesNotExist");

        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/" + UUID.randomUUID(), assignmentBody(USER_ROLE, "oid-1", "User", "/accounts/alpha/"))
                .code()).isEqualTo("InvalidScope");
        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/" + UUID.randomUUID(), assignmentBody(USER_ROLE, "oid-1", "Device", "/")).code())
                .isEqualTo("InvalidPrincipalType");
        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/not-a-guid", assignmentBody(USER_ROLE, "oid-1", "User", "/")).code())
                .isEqualTo("InvalidRoleAssignmentId");
        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/" + UUID.randomUUID(), "{'properties':{'principalId':'x'}}").status())
                .isEqualTo(400);
        assertThat(api.call(ADMIN, "POST", "/roleAssignments", assignmentBody(USER_ROLE, "oid-1", "User", "/")).status()).isEqualTo(405);
        assertThat(api.call(ADMIN, "GET", "/roleAssignments?scope=/accounts/./alpha", null).code()).isEqualTo("InvalidScope");
    }

    @Test
    void assigningNeedsTheWriteActionAtTheAssignmentsOwnScope() {
        create(ADMIN, BuiltInRoles.OWNER.id(), "alpha-owner", "User", "/accounts/alpha");
        Principal alphaOwner = user("alpha-owner");
        create(alphaOwner, USER_ROLE, "dev", "User", "/accounts/alpha");
        create(alphaOwner, USER_ROLE, "dev", "User", "/accounts/alpha/deployments/gpt");
        for (String elsewhere : List.of("/accounts/beta", "/accounts/alphabet", "/")) {
            var refused = api.call(alphaOwner, "PUT", "/roleAssignments/" + UUID.randomUUID(), assignmentBody(USER_ROLE, "dev", "User", elsewhere));
            assertThat(refused.status()).as(elsewhere).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("AuthorizationFailed");
            assertThat(refused.raw().auditProperties()).containsEntry("scope", elsewhere).containsEntry("action", Actions.ROLE_ASSIGNMENTS_WRITE);
        }
        // Contributor manages resources but not access: it may not assign roles anywhere.
        create(ADMIN, BuiltInRoles.CONTRIBUTOR.id(), "contrib", "User", "/");
        assertThat(api.call(user("contrib"), "PUT", "/roleAssignments/" + UUID.randomUUID(),
                assignmentBody(USER_ROLE, "contrib", "User", "/accounts/alpha")).status()).isEqualTo(403);
        // A key is never a manager.
        assertThat(api.call(new Principal.AccountKey("alpha", dev.bulwark.account.KeyName.KEY1), "PUT", "/roleAssignments/" + UUID.randomUUID(),
                assignmentBody(USER_ROLE, "x", "User", "/accounts/alpha")).status()).isEqualTo(403);
    }

    @Test
    void deletingAndReadingAnAssignmentAreCheckedAtItsStoredScope() {
        create(ADMIN, BuiltInRoles.OWNER.id(), "alpha-owner", "User", "/accounts/alpha");
        Principal alphaOwner = user("alpha-owner");
        String inBeta = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/beta");
        String inAlpha = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/alpha");
        assertThat(api.call(alphaOwner, "GET", "/roleAssignments/" + inBeta, null).status()).isEqualTo(403);
        assertThat(api.call(alphaOwner, "DELETE", "/roleAssignments/" + inBeta, null).status()).isEqualTo(403);
        assertThat(api.rbac.findAssignment(inBeta)).isPresent();
        assertThat(api.call(alphaOwner, "GET", "/roleAssignments/" + inAlpha, null).status()).isEqualTo(200);
        assertThat(api.call(alphaOwner, "DELETE", "/roleAssignments/" + inAlpha, null).status()).isEqualTo(200);
        // Whether an id exists is told only to someone allowed at "/".
        String unknown = UUID.randomUUID().toString();
        assertThat(api.call(alphaOwner, "GET", "/roleAssignments/" + unknown, null).status()).isEqualTo(403);
        assertThat(api.call(alphaOwner, "DELETE", "/roleAssignments/" + unknown, null).status()).isEqualTo(403);
        assertThat(api.call(ADMIN, "GET", "/roleAssignments/" + unknown, null).status()).isEqualTo(404);
    }

    @Test
    void listingShowsOnlyWhatTheCallerMayReadAndFiltersByScopeAndPrincipal() {
        String root = create(ADMIN, BuiltInRoles.READER.id(), "auditor", "User", "/");
        String alphaOwner = create(ADMIN, BuiltInRoles.OWNER.id(), "alpha-owner", "User", "/accounts/alpha");
        String alphaDev = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/alpha");
        String betaDev = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/beta");
        String alphabetDev = create(ADMIN, USER_ROLE, "dev", "User", "/accounts/alphabet");

        assertThat(ids(api.call(ADMIN, "GET", "/roleAssignments", null).json()))
                .containsExactlyInAnyOrder(root, alphaOwner, alphaDev, betaDev, alphabetDev);
        assertThat(ids(api.call(ADMIN, "GET", "/roleAssignments?principalId=dev", null).json()))
                .containsExactlyInAnyOrder(alphaDev, betaDev, alphabetDev);
        assertThat(ids(api.call(ADMIN, "GET", "/roleAssignments?scope=/accounts/alpha", null).json()))
                .containsExactlyInAnyOrder(alphaOwner, alphaDev);
        assertThat(ids(api.call(ADMIN, "GET", "/roleAssignments?scope=/accounts/alpha&includeInherited=true", null).json()))
                .containsExactlyInAnyOrder(root, alphaOwner, alphaDev);

        Principal owner = user("alpha-owner");
        assertThat(ids(api.call(owner, "GET", "/roleAssignments", null).json())).containsExactlyInAnyOrder(alphaOwner, alphaDev);
        assertThat(ids(api.call(owner, "GET", "/roleAssignments?scope=/accounts/alpha&includeInherited=true", null).json()))
                .as("who has access to alpha, including from above").containsExactlyInAnyOrder(root, alphaOwner, alphaDev);
        assertThat(api.call(owner, "GET", "/roleAssignments?scope=/accounts/beta", null).status()).isEqualTo(403);
        assertThat(ids(api.call(user("stranger"), "GET", "/roleAssignments", null).json())).isEmpty();
        assertThat(api.call(user("stranger"), "GET", "/roleAssignments?scope=/", null).status()).isEqualTo(403);
    }

    @Test
    void aGroupAssignmentMadeThroughTheApiAppliesToMembers() {
        create(ADMIN, USER_ROLE, "/language-team", "Group", "/accounts/alpha");
        assertThat(api.rbac.loadPolicy().permitsDataAction(user("u1", "/language-team"), "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(api.rbac.loadPolicy().permitsDataAction(user("u2"), "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
    }

    @Test
    void aRequestReadsThePolicyOnceHoweverManyChecksItMakes() {
        for (int i = 0; i < 5; i++) {
            create(ADMIN, USER_ROLE, "dev" + i, "User", "/accounts/acct" + i);
        }
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        RoleAssignmentsApi counted = new RoleAssignmentsApi(api.rbac, () -> {
            reads.incrementAndGet();
            return api.rbac.loadPolicy();
        });
        ApiResponse r = counted.handle(new ApiRequest("GET", new String[] {"roleAssignments"}, java.util.Map.of(), new byte[0],
                user("stranger"), "rid", "127.0.0.1"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(reads).hasValue(1);
    }

    @Test
    void operationNamesAreTheRbacActions() {
        String[] one = {"roleAssignments", "x"};
        assertThat(RoleAssignmentsApi.operationName("GET", new String[] {"roleAssignments"})).isEqualTo(Actions.ROLE_ASSIGNMENTS_READ);
        assertThat(RoleAssignmentsApi.operationName("GET", one)).isEqualTo(Actions.ROLE_ASSIGNMENTS_READ);
        assertThat(RoleAssignmentsApi.operationName("PUT", one)).isEqualTo(Actions.ROLE_ASSIGNMENTS_WRITE);
        assertThat(RoleAssignmentsApi.operationName("DELETE", one)).isEqualTo(Actions.ROLE_ASSIGNMENTS_DELETE);
    }
}
