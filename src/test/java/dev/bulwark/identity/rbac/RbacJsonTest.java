package dev.bulwark.identity.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RbacJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "11111111-2222-4333-8444-555555555555";

    private static JsonNode json(String s) {
        try {
            return JSON.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static void refused(Runnable r, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(RbacException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    private static final String ROLE = "{'properties':{'roleName':'Ops','description':'d','permissions':[{'actions':['*/read'],"
            + "'notActions':[],'dataActions':['Microsoft.CognitiveServices/*'],'notDataActions':[]}],'assignableScopes':['/accounts/alpha']}}";

    @Test
    void aRenderedDefinitionParsesBackToItself() {
        RoleDefinition d = RbacJson.parseDefinition(ID, json(ROLE));
        assertThat(d.type()).isEqualTo(RoleType.CUSTOM);
        assertThat(d.permissions().dataActions()).containsExactly("Microsoft.CognitiveServices/*");
        JsonNode rendered = RbacJson.render(d);
        assertThat(rendered.get("id").asText()).isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/" + ID);
        assertThat(rendered.get("name").asText()).isEqualTo(ID);
        assertThat(rendered.get("type").asText()).isEqualTo("Microsoft.Authorization/roleDefinitions");
        assertThat(rendered.at("/properties/type").asText()).isEqualTo("CustomRole");
        assertThat(RbacJson.parseDefinition(ID, rendered)).isEqualTo(d);
    }

    @Test
    void aRenderedAssignmentParsesBackToItselfWithAzureIdShapes() {
        RoleAssignment a = new RoleAssignment(ID, BuiltInRoles.READER.id(), "oid-1", PrincipalType.Group, "/accounts/alpha");
        JsonNode rendered = RbacJson.render(a);
        assertThat(rendered.get("id").asText()).isEqualTo("/accounts/alpha/providers/Microsoft.Authorization/roleAssignments/" + ID);
        assertThat(rendered.at("/properties/roleDefinitionId").asText())
                .isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(RbacJson.parseAssignment(ID, rendered)).isEqualTo(a);
        RoleAssignment atRoot = new RoleAssignment(ID, BuiltInRoles.READER.id(), "oid-1", PrincipalType.User, "/");
        assertThat(atRoot.armId()).isEqualTo("/providers/Microsoft.Authorization/roleAssignments/" + ID);
    }

    @Test
    void roleDefinitionReferencesAcceptBareGuidsAndArmIdsInAnyCase() {
        String reader = BuiltInRoles.READER.id();
        assertThat(RbacJson.roleDefinitionGuid(reader.toUpperCase())).isEqualTo(reader);
        assertThat(RbacJson.roleDefinitionGuid("/providers/Microsoft.Authorization/roleDefinitions/" + reader)).isEqualTo(reader);
        assertThat(RbacJson.roleDefinitionGuid("/subscriptions/x/providers/microsoft.authorization/roleDefinitions/" + reader)).isEqualTo(reader);
        refused(() -> RbacJson.roleDefinitionGuid("Reader"), "InvalidRoleDefinitionId");
        refused(() -> RbacJson.roleDefinitionGuid("/providers/Microsoft.Authorization/roleDefinitions/" + reader + "/x"), "InvalidRoleDefinitionId");
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[{'actions':['*']}],"
                + "'assignableScopes':['/'],'isCustom':true}}")), "InvalidRequestContent");
        refused(() -> RbacJson.parseDefinition(ID, json("{'etag':'x','properties':{}}")), "InvalidRequestContent");
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[{'actions':['*'],"
                + "'condition':'x'}],'assignableScopes':['/']}}")), "InvalidPermissions");
        refused(() -> RbacJson.parseAssignment(ID, json("{'properties':{'roleDefinitionId':'" + ID + "','principalId':'p',"
                + "'principalType':'User','scope':'/','condition':'@Resource[x]'}}")), "FeatureNotSupported");
    }

    @Test
    void readOnlyFieldsEchoedFromAGetAreAccepted() {
        RoleDefinition d = RbacJson.parseDefinition(ID, json("{'id':'/providers/Microsoft.Authorization/roleDefinitions/" + ID + "',"
                + "'name':'" + ID + "','type':'Microsoft.Authorization/roleDefinitions','properties':{'roleName':'x','type':'CustomRole',"
                + "'createdOn':'2024-01-01','permissions':[{'actions':['*']}],'assignableScopes':['/']}}"));
        assertThat(d.roleName()).isEqualTo("x");
    }

    @Test
    void bodiesThatContradictThePathOrAskForABuiltInAreRefused() {
        refused(() -> RbacJson.parseDefinition(ID, json("{'name':'99999999-2222-4333-8444-555555555555','properties':{}}")),
                "InvalidRequestContent");
        refused(() -> RbacJson.parseDefinition(ID, json("{'type':'Microsoft.Authorization/roleAssignments','properties':{}}")),
                "InvalidRequestContent");
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','type':'BuiltInRole',"
                + "'permissions':[{'actions':['*']}],'assignableScopes':['/']}}")), "InvalidRoleDefinitionType");
    }

    @Test
    void permissionsMustBeExactlyOneBlockOfStringLists() {
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[],'assignableScopes':['/']}}")),
                "InvalidPermissions");
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[{'actions':['*']},"
                + "{'actions':['*']}],'assignableScopes':['/']}}")), "InvalidPermissions");
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[{'actions':'*'}],"
                + "'assignableScopes':['/']}}")), "InvalidRequestContent");
        refused(() -> RbacJson.parseDefinition(ID, json("{'properties':{'roleName':'x','permissions':[{'actions':[1]}],"
                + "'assignableScopes':['/']}}")), "InvalidRequestContent");
    }

    @Test
    void anAssignmentNeedsRolePrincipalTypeAndScope() {
        String ok = "'roleDefinitionId':'" + BuiltInRoles.READER.id() + "','principalId':'p','principalType':'user','scope':'/'";
        assertThat(RbacJson.parseAssignment(ID, json("{'properties':{" + ok + "}}")).principalType()).isEqualTo(PrincipalType.User);
        for (String missing : List.of("roleDefinitionId", "principalId", "principalType", "scope")) {
            String body = "{'properties':{" + ok.replaceAll("'" + missing + "':'[^']*',?", "") + "}}";
            assertThatThrownBy(() -> RbacJson.parseAssignment(ID, json(body.replace(",}", "}")))).as(missing)
                    .isInstanceOf(RbacException.class);
        }
        refused(() -> RbacJson.parseAssignment(ID, json("{'properties':{" + ok.replace("'user'", "'ForeignGroup'") + "}}")),
                "InvalidPrincipalType");
    }
}
