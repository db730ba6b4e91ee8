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

class RoleDefinitionsApiTest {
    @TempDir
    Path dir;
    RbacApiFixture api;

    private static final String OPS = "{'properties':{'roleName':'Ops','description':'Runs accounts, sees no keys','permissions':[{"
            + "'actions':['Microsoft.CognitiveServices/*'],'notActions':['Microsoft.CognitiveServices/accounts/listKeys/action'],"
            + "'dataActions':[],'notDataActions':[]}],'assignableScopes':['/']}}";

    @BeforeEach
    void open() {
        api = new RbacApiFixture(dir);
    }

    @AfterEach
    void close() {
        api.close();
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("value").forEach(d -> out.add(d.at("/properties/roleName").asText()));
        return out;
    }

    @Test
    void postCreatesAnArmShapedCustomRoleThatGetListAndDeleteRoundTrip() {
        var created = api.call(ADMIN, "POST", "/roleDefinitions", OPS);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("name").asText();
        assertThat(created.json().get("id").asText()).isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + id);
        assertThat(created.json().get("type").asText()).isEqualTo("Microsoft.Authorization/roleDefinitions");
        assertThat(created.json().at("/properties/type").asText()).isEqualTo("CustomRole");
        assertThat(created.json().at("/properties/permissions/0/notActions/0").asText())
                .isEqualTo("Microsoft.CognitiveServices/accounts/listKeys/action");
        assertThat(created.raw().resourceId()).isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + id);
        assertThat(created.raw().auditProperties()).containsEntry("roleName", "Ops").containsEntry("created", true);

        var got = api.call(ADMIN, "GET", "/roleDefinitions/" + id, null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(created.json());

        var list = api.call(ADMIN, "GET", "/roleDefinitions", null);
        assertThat(names(list.json())).contains("Owner", "Cognitive Services User", "Bulwark Account Manager", "Ops");
        assertThat(names(api.call(ADMIN, "GET", "/roleDefinitions?roleName=ops", null).json())).containsExactly("Ops");

        var deleted = api.call(ADMIN, "DELETE", "/roleDefinitions/" + id, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().at("/properties/roleName").asText()).isEqualTo("Ops");
        assertThat(api.call(ADMIN, "GET", "/roleDefinitions/" + id, null).status()).isEqualTo(404);
        assertThat(api.call(ADMIN, "DELETE", "/roleDefinitions/" + id, null).status()).isEqualTo(204);
    }

    @Test
    void putWithAChosenIdCreatesThenReplaces() {
        String id = UUID.randomUUID().toString();
        assertThat(api.call(ADMIN, "PUT", "/roleDefinitions/" + id, OPS).status()).isEqualTo(201);
        var replaced = api.call(ADMIN, "PUT", "/roleDefinitions/" + id.toUpperCase(), OPS.replace("'Ops'", "'Ops 2'"));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("name").asText()).isEqualTo(id);
        assertThat(api.call(ADMIN, "GET", "/roleDefinitions/" + id, null).json().at("/properties/roleName").asText()).isEqualTo("Ops 2");
    }

    @Test
    void builtInRolesAreListedWithAzureIdsAndCannotBeChanged() {
        var owner = api.call(ADMIN, "GET", "/roleDefinitions/" + BuiltInRoles.OWNER.id(), null);
        assertThat(owner.json().at("/properties/type").asText()).isEqualTo("BuiltInRole");
        assertThat(owner.json().at("/properties/permissions/0/actions/0").asText()).isEqualTo("*");
        var put = api.call(ADMIN, "PUT", "/roleDefinitions/" + BuiltInRoles.READER.id(), OPS);
        assertThat(put.status()).isEqualTo(409);
        assertThat(put.code()).isEqualTo("BuiltInRoleImmutable");
        var delete = api.call(ADMIN, "DELETE", "/roleDefinitions/" + BuiltInRoles.READER.id(), null);
        assertThat(delete.status()).isEqualTo(409);
        assertThat(delete.code()).isEqualTo("BuiltInRoleImmutable");
    }

    @Test
    void conflictsAndBadRequestsAnswerInArmsErrorShape() {
        assertThat(api.call(ADMIN, "POST", "/roleDefinitions", OPS).status()).isEqualTo(201);
        var dup = api.call(ADMIN, "POST", "/roleDefinitions", OPS.replace("'Ops'", "'OPS'"));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.code()).isEqualTo("RoleDefinitionWithSameNameExists");
        assertThat(dup.json().at("/error/message").asText()).isNotBlank();
        assertThat(dup.raw().auditProperties()).containsEntry("errorCode", "RoleDefinitionWithSameNameExists");

        assertThat(api.call(ADMIN, "POST", "/roleDefinitions", "not json").code()).isEqualTo("InvalidRequestContent");
        assertThat(api.call(ADMIN, "POST", "/roleDefinitions", null).code()).isEqualTo("InvalidRequestContent");
        assertThat(api.call(ADMIN, "POST", "/roleDefinitions", OPS.replace("'/'", "'/subscriptions/x'")).code()).isEqualTo("InvalidScope");
        assertThat(api.call(ADMIN, "POST", "/roleDefinitions", OPS.replace("Microsoft.CognitiveServices/*", "Microsoft CognitiveServices")).code())
                .isEqualTo("InvalidActionOrNotAction");
        assertThat(api.call(ADMIN, "GET", "/roleDefinitions/Owner", null).code()).isEqualTo("InvalidRoleDefinitionId");
        assertThat(api.call(ADMIN, "PATCH", "/roleDefinitions/" + UUID.randomUUID(), OPS).status()).isEqualTo(405);
        assertThat(api.call(ADMIN, "DELETE", "/roleDefinitions", null).status()).isEqualTo(405);
        assertThat(api.call(ADMIN, "GET", "/roleDefinitions/" + UUID.randomUUID() + "/x", null).status()).isEqualTo(404);
    }

    @Test
    void aRoleInUseIsA409UntilItsAssignmentIsGone() {
        String id = api.call(ADMIN, "POST", "/roleDefinitions", OPS).json().get("name").asText();
        String assignment = UUID.randomUUID().toString();
        assertThat(api.call(ADMIN, "PUT", "/roleAssignments/" + assignment, assignmentBody(id, "u1", "User", "/accounts/alpha")).status())
                .isEqualTo(201);
        var inUse = api.call(ADMIN, "DELETE", "/roleDefinitions/" + id, null);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.code()).isEqualTo("RoleDefinitionHasAssignments");
        api.call(ADMIN, "DELETE", "/roleAssignments/" + assignment, null);
        assertThat(api.call(ADMIN, "DELETE", "/roleDefinitions/" + id, null).status()).isEqualTo(200);
    }

    @Test
    void readingDefinitionsNeedsTheReadActionAtTheScopeAsked() {
        Principal nobody = user("nobody");
        var refused = api.call(nobody, "GET", "/roleDefinitions", null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("AuthorizationFailed");
        assertThat(refused.json().at("/error/message").asText()).contains(Actions.ROLE_DEFINITIONS_READ).contains("'/'");
        assertThat(refused.raw().auditProperties()).containsEntry("action", Actions.ROLE_DEFINITIONS_READ).containsEntry("scope", "/");

        // An OpenAI user on one account may read definitions there (its role has roleDefinitions/read), not at "/".
        api.rbac.putAssignment(new dev.bulwark.identity.rbac.RoleAssignment(UUID.randomUUID().toString(),
                BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER.id(), "dev", dev.bulwark.identity.rbac.PrincipalType.User, "/accounts/alpha"));
        assertThat(api.call(user("dev"), "GET", "/roleDefinitions", null).status()).isEqualTo(403);
        var there = api.call(user("dev"), "GET", "/roleDefinitions?scope=/accounts/alpha", null);
        assertThat(there.status()).isEqualTo(200);
        assertThat(names(there.json())).contains("Cognitive Services OpenAI User");
        assertThat(api.call(user("dev"), "GET", "/roleDefinitions/" + BuiltInRoles.READER.id() + "?scope=/accounts/alpha", null).status())
                .isEqualTo(200);
        assertThat(api.call(user("dev"), "GET", "/roleDefinitions?scope=/accounts/alpha/..", null).code()).isEqualTo("InvalidScope");
    }

    @Test
    void writingARoleNeedsTheWriteActionAtEachOfItsAssignableScopes() {
        // Owner of alpha only.
        api.rbac.putAssignment(new dev.bulwark.identity.rbac.RoleAssignment(UUID.randomUUID().toString(), BuiltInRoles.OWNER.id(),
                "alpha-owner", dev.bulwark.identity.rbac.PrincipalType.User, "/accounts/alpha"));
        Principal alphaOwner = user("alpha-owner");
        String forAlpha = OPS.replace("['/']", "['/accounts/alpha']");
        var created = api.call(alphaOwner, "POST", "/roleDefinitions", forAlpha);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("name").asText();

        var widened = api.call(alphaOwner, "PUT", "/roleDefinitions/" + id, OPS.replace("['/']", "['/accounts/alpha','/accounts/beta']"));
        assertThat(widened.status()).isEqualTo(403);
        assertThat(widened.json().at("/error/message").asText()).contains("/accounts/beta");
        assertThat(api.call(alphaOwner, "POST", "/roleDefinitions", OPS.replace("'Ops'", "'Global'")).status()).isEqualTo(403);

        // A role someone else made assignable at "/" cannot be taken over by narrowing it to alpha.
        String global = api.call(ADMIN, "POST", "/roleDefinitions", OPS.replace("'Ops'", "'Global'")).json().get("name").asText();
        assertThat(api.call(alphaOwner, "PUT", "/roleDefinitions/" + global, forAlpha.replace("'Ops'", "'Global'")).status()).isEqualTo(403);
        assertThat(api.call(alphaOwner, "DELETE", "/roleDefinitions/" + global, null).status()).isEqualTo(403);
        assertThat(api.call(alphaOwner, "DELETE", "/roleDefinitions/" + id, null).status()).isEqualTo(200);
    }

    @Test
    void deletingAnUnknownRoleIsA204ForTheAdminAndThe403ForOthers() {
        String unknown = UUID.randomUUID().toString();
        assertThat(api.call(ADMIN, "DELETE", "/roleDefinitions/" + unknown, null).status()).isEqualTo(204);
        assertThat(api.call(user("nobody"), "DELETE", "/roleDefinitions/" + unknown, null).status()).isEqualTo(403);
        assertThat(api.call(user("nobody"), "DELETE", "/roleDefinitions/" + BuiltInRoles.OWNER.id(), null).status()).isEqualTo(403);
    }

    @Test
    void operationNamesAreTheRbacActions() {
        String[] one = {"roleDefinitions", "x"};
        assertThat(RoleDefinitionsApi.operationName("GET", one)).isEqualTo(Actions.ROLE_DEFINITIONS_READ);
        assertThat(RoleDefinitionsApi.operationName("POST", new String[] {"roleDefinitions"})).isEqualTo(Actions.ROLE_DEFINITIONS_WRITE);
        assertThat(RoleDefinitionsApi.operationName("PUT", one)).isEqualTo(Actions.ROLE_DEFINITIONS_WRITE);
        assertThat(RoleDefinitionsApi.operationName("DELETE", one)).isEqualTo(Actions.ROLE_DEFINITIONS_DELETE);
    }
}
