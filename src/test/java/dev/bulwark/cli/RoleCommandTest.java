package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing and request building of {@code bulwark role ...}, without a server. */
class RoleCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    @AfterEach
    void resetEnvironment() {
        ClientOptions.environment = System.getenv();
    }

    private static CommandLine cli() {
        return new CommandLine(new RoleCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** The leaf command object picocli filled in. */
    @SuppressWarnings("unchecked")
    private static <T> T parse(String... args) {
        CommandLine.ParseResult r = cli().parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return (T) r.commandSpec().userObject();
    }

    private record Run(int exit, String out, String err) {
    }

    private Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = cli().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    // ---- role assignment create|list|delete ----

    @Test
    void assignmentCreateBuildsAnArmBodyWithTheTypeInAnyCase() {
        RoleCommand.CreateAssignment c = parse("assignment", "create", "--role", "Cognitive Services User", "--assignee", "oid-1",
                "--assignee-type", "serviceprincipal", "--scope", "/accounts/alpha");
        assertThat(c.role).isEqualTo("Cognitive Services User");
        ObjectNode body = c.body("a97b65f3-24c7-4388-baec-2e87135dc908");
        assertThat(body.at("/properties/roleDefinitionId").asText())
                .isEqualTo("/providers/Microsoft.Authorization/roleDefinitions/a97b65f3-24c7-4388-baec-2e87135dc908");
        assertThat(body.at("/properties/principalId").asText()).isEqualTo("oid-1");
        assertThat(body.at("/properties/principalType").asText()).isEqualTo("ServicePrincipal");
        assertThat(body.at("/properties/scope").asText()).isEqualTo("/accounts/alpha");
        assertThat(RoleCommand.isGuid(c.assignmentId())).isTrue();
        assertThat(c.assignmentId()).isNotEqualTo(c.assignmentId());
    }

    @Test
    void assignmentCreateNeedsRoleAssigneeTypeAndScope() {
        for (List<String> missing : List.of(
                List.of("--assignee", "a", "--assignee-type", "User", "--scope", "/"),
                List.of("--role", "Reader", "--assignee-type", "User", "--scope", "/"),
                List.of("--role", "Reader", "--assignee", "a", "--scope", "/"),
                List.of("--role", "Reader", "--assignee", "a", "--assignee-type", "User"))) {
            String[] args = new String[missing.size() + 2];
            args[0] = "assignment";
            args[1] = "create";
            for (int i = 0; i < missing.size(); i++) {
                args[i + 2] = missing.get(i);
            }
            Run r = execute(args);
            assertThat(r.exit()).as(missing.toString()).isEqualTo(2);
            assertThat(r.err()).contains("Missing required option");
        }
        Run device = execute("assignment", "create", "--role", "Reader", "--assignee", "a", "--assignee-type", "Device", "--scope", "/");
        assertThat(device.exit()).isEqualTo(2);
        assertThat(device.err()).contains("User").contains("Group").contains("ServicePrincipal");
    }

    @Test
    void aChosenAssignmentIdMustBeAGuid() {
        RoleCommand.CreateAssignment c = parse("assignment", "create", "--role", "Reader", "--assignee", "a", "--assignee-type", "User",
                "--scope", "/", "--id", "mine");
        assertThatThrownBy(c::assignmentId).isInstanceOf(CliException.class).hasMessageContaining("GUID");
    }

    @Test
    void assignmentListSendsOnlyTheFiltersGiven() {
        RoleCommand.ListAssignments all = parse("assignment", "list");
        assertThat(all.query().values()).containsOnlyNulls();
        RoleCommand.ListAssignments some = parse("assignment", "list", "--scope", "/accounts/alpha", "--assignee", "oid-1", "--include-inherited");
        assertThat(some.query()).containsEntry("scope", "/accounts/alpha").containsEntry("principalId", "oid-1")
                .containsEntry("includeInherited", "true");
    }

    @Test
    void assignmentTableShowsRoleNamesWhenKnownAndIdsOtherwise() throws Exception {
        JsonNode a = json("{'name':'11111111-2222-4333-8444-555555555555','properties':{'roleDefinitionId':"
                + "'/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7','principalId':'oid-1',"
                + "'principalType':'Group','scope':'/accounts/alpha'}}");
        StringWriter named = new StringWriter();
        RoleCommand.printAssignments(new PrintWriter(named), List.of(a), Map.of("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader"));
        assertThat(named.toString()).contains("ROLE").contains("Reader").contains("oid-1").contains("Group").contains("/accounts/alpha");
        StringWriter unnamed = new StringWriter();
        RoleCommand.printAssignments(new PrintWriter(unnamed), List.of(a), Map.of());
        assertThat(unnamed.toString()).contains("acdd72a7-3385-48ef-bd42-f606fba81ae7").doesNotContain("Reader");
    }

    @Test
    void deletingANonGuidAssignmentFailsBeforeAnyCall() {
        ClientOptions.environment = Map.of("BULWARK_ENDPOINT", "https://127.0.0.1:1", "BULWARK_ADMIN_TOKEN", "t",
                "BULWARK_HOME", dir.toString());
        Run r = execute("assignment", "delete", "not-a-guid");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("GUID").doesNotContain("cannot reach");
    }

    // ---- role definition create from flags ----

    @Test
    void definitionCreateFromFlagsSplitsCommasAndDefaultsToRoot() {
        RoleCommand.CreateDefinition c = parse("definition", "create", "--name", "Ops", "--description", "no keys",
                "--actions", "Microsoft.CognitiveServices/*,Microsoft.Authorization/*/read",
                "--not-actions", "Microsoft.CognitiveServices/accounts/listKeys/action", "--data-actions", "Microsoft.CognitiveServices/*/read");
        ObjectNode body = c.body();
        assertThat(body.at("/properties/roleName").asText()).isEqualTo("Ops");
        assertThat(body.at("/properties/description").asText()).isEqualTo("no keys");
        JsonNode perm = body.at("/properties/permissions/0");
        assertThat(perm.get("actions")).hasSize(2);
        assertThat(perm.at("/actions/1").asText()).isEqualTo("Microsoft.Authorization/*/read");
        assertThat(perm.at("/notActions/0").asText()).isEqualTo("Microsoft.CognitiveServices/accounts/listKeys/action");
        assertThat(perm.get("notDataActions")).isEmpty();
        assertThat(body.at("/properties/assignableScopes").toString()).isEqualTo("[\"/\"]");
        assertThat(c.targetId(body)).isNull();

        RoleCommand.CreateDefinition scoped = parse("definition", "create", "--name", "A", "--actions", "*/read",
                "--scope", "/accounts/alpha,/accounts/beta", "--scope", "/accounts/gamma", "--id", "11111111-2222-4333-8444-555555555555");
        assertThat(scoped.body().at("/properties/assignableScopes")).hasSize(3);
        assertThat(scoped.targetId(scoped.body())).isEqualTo("11111111-2222-4333-8444-555555555555");
    }

    @Test
    void definitionCreateTakesFlagsOrAFileNeverBoth() throws Exception {
        ClientOptions.environment = Map.of("BULWARK_ENDPOINT", "https://127.0.0.1:1", "BULWARK_ADMIN_TOKEN", "t",
                "BULWARK_HOME", dir.toString());
        Path f = Files.writeString(dir.resolve("role.json"), "{\"Name\":\"x\",\"Actions\":[\"*/read\"]}");
        Run both = execute("definition", "create", "--name", "Ops", "--actions", "*/read", "--file", f.toString());
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("either --file or --name").doesNotContain("cannot reach");
        Run neither = execute("definition", "create", "--description", "x");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("--name is required");
        RoleCommand.CreateDefinition fromFile = parse("definition", "create", "--file", f.toString());
        assertThat(fromFile.body().at("/properties/roleName").asText()).isEqualTo("x");
    }

    // ---- role files ----

    @Test
    void anAzureCliRoleFileBecomesAnArmBody() throws Exception {
        ObjectNode arm = RoleFiles.toArm(json("{'Name':'Ops','IsCustom':true,'Description':'d','Actions':['Microsoft.CognitiveServices/*'],"
                + "'NotActions':['Microsoft.CognitiveServices/accounts/listKeys/action'],'DataActions':[],'NotDataActions':[],"
                + "'AssignableScopes':['/accounts/alpha']}"));
        assertThat(arm.has("name")).isFalse();
        assertThat(arm.at("/properties/roleName").asText()).isEqualTo("Ops");
        assertThat(arm.at("/properties/permissions/0/notActions/0").asText()).isEqualTo("Microsoft.CognitiveServices/accounts/listKeys/action");
        assertThat(arm.at("/properties/assignableScopes/0").asText()).isEqualTo("/accounts/alpha");
    }

    @Test
    void aRoleAsAzListPrintsItKeepsItsGuid() throws Exception {
        ObjectNode arm = RoleFiles.toArm(json("{'id':'/providers/Microsoft.Authorization/roleDefinitions/11111111-2222-4333-8444-555555555555',"
                + "'name':'11111111-2222-4333-8444-555555555555','roleName':'Ops','roleType':'CustomRole','type':'Microsoft.Authorization/roleDefinitions',"
                + "'permissions':[{'actions':['*/read'],'notActions':[],'dataActions':[],'notDataActions':[]}],'assignableScopes':['/']}"));
        assertThat(arm.get("name").asText()).isEqualTo("11111111-2222-4333-8444-555555555555");
        assertThat(arm.at("/properties/permissions/0/actions/0").asText()).isEqualTo("*/read");
        RoleCommand.CreateDefinition c = parse("definition", "create", "--file", "x.json", "--id", "99999999-2222-4333-8444-555555555555");
        assertThatThrownBy(() -> c.targetId(arm)).isInstanceOf(CliException.class).hasMessageContaining("differs");
    }

    @Test
    void anArmFileIsSentAsIs() throws Exception {
        JsonNode file = json("{'properties':{'roleName':'Ops','permissions':[{'actions':['*/read']}],'assignableScopes':['/']}}");
        assertThat(RoleFiles.toArm(file)).isEqualTo(file);
    }

    @Test
    void roleFilesWithUnknownOrContradictoryFieldsAreRefusedNotTrimmed() {
        assertThatThrownBy(() -> RoleFiles.toArm(json("{'Name':'Ops','Actions':['*'],'Condition':'x'}")))
                .isInstanceOf(CliException.class).hasMessageContaining("Condition");
        assertThatThrownBy(() -> RoleFiles.toArm(json("{'Name':'Ops','Actions':['*'],'actions':['*/read']}")))
                .isInstanceOf(CliException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> RoleFiles.toArm(json("{'Name':'Reader','IsCustom':false,'Actions':['*/read']}")))
                .isInstanceOf(CliException.class).hasMessageContaining("built-in");
        assertThatThrownBy(() -> RoleFiles.toArm(json("{'roleName':'Ops','Actions':['*'],'permissions':[{'actions':['*']}]}")))
                .isInstanceOf(CliException.class).hasMessageContaining("use one");
        assertThatThrownBy(() -> RoleFiles.toArm(json("{'Actions':['*']}"))).isInstanceOf(CliException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> RoleFiles.toArm(json("['x']"))).isInstanceOf(CliException.class);
    }
}
