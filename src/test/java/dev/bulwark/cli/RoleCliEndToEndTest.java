package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.AuditQuery;
import dev.bulwark.audit.StoredAuditRecord;
import dev.bulwark.cli.CliHarness.Result;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark role ...} against a real Bulwark over HTTPS, and the management plane's audit of it. Needs the wiring. */
class RoleCliEndToEndTest {
    @TempDir
    static Path home;
    static CliHarness harness;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() throws Exception {
        harness = new CliHarness(home);
        bulwark = harness.bulwark();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Result cli(String... args) {
        return harness.run(args);
    }

    @Test
    void customRoleAndAssignmentLifecycleThroughTheCli() throws Exception {
        Result created = cli("role", "definition", "create", "--name", "Key-less Ops", "--actions", "Microsoft.CognitiveServices/*",
                "--not-actions", "Microsoft.CognitiveServices/accounts/listKeys/action", "--scope", "/accounts/e2e", "-o", "json");
        assertThat(created.exit()).as(created.err()).isZero();
        String roleId = created.json().get("name").asText();

        Result list = cli("role", "definition", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("Owner").contains("Cognitive Services User").contains("Key-less Ops").contains("BuiltInRole");

        Result assigned = cli("role", "assignment", "create", "--role", "key-less ops", "--assignee", "oid-7",
                "--assignee-type", "user", "--scope", "/accounts/e2e/deployments/d");
        assertThat(assigned.exit()).as(assigned.err()).isZero();
        assertThat(assigned.out()).contains("Key-less Ops").contains("oid-7").contains("/accounts/e2e/deployments/d");

        Result outside = cli("role", "assignment", "create", "--role", roleId, "--assignee", "oid-7", "--assignee-type", "User",
                "--scope", "/accounts/other");
        assertThat(outside.exit()).isEqualTo(1);
        assertThat(outside.err()).startsWith("bulwark: HTTP 400 RoleNotAssignableAtScope:");
        Result outsideByName = cli("role", "assignment", "create", "--role", "Key-less Ops", "--assignee", "oid-7", "--assignee-type", "User",
                "--scope", "/accounts/other");
        assertThat(outsideByName.exit()).isEqualTo(1);
        assertThat(outsideByName.err()).contains("no role definition named 'Key-less Ops' assignable at /accounts/other");

        Result again = cli("role", "assignment", "create", "--role", "Key-less Ops", "--assignee", "oid-7", "--assignee-type", "User",
                "--scope", "/accounts/e2e/deployments/d");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("409 RoleAssignmentExists");

        Result inUse = cli("role", "definition", "delete", "Key-less Ops");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("409 RoleDefinitionHasAssignments");

        Result listed = cli("role", "assignment", "list", "--scope", "/accounts/e2e", "-o", "json");
        assertThat(listed.exit()).isZero();
        JsonNode value = listed.json().get("value");
        assertThat(value).hasSize(1);
        String assignmentId = value.get(0).get("name").asText();
        Result table = cli("role", "assignment", "list", "--assignee", "oid-7");
        assertThat(table.out()).contains(assignmentId).contains("Key-less Ops");

        assertThat(cli("role", "assignment", "delete", assignmentId).out()).contains("Deleted role assignment " + assignmentId);
        Result gone = cli("role", "assignment", "delete", assignmentId);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("no role assignment");
        assertThat(cli("role", "definition", "delete", "Key-less Ops").out()).contains("Deleted role definition Key-less Ops");
        assertThat(cli("role", "definition", "delete", "Key-less Ops").err()).contains("no role definition named");

        Result builtIn = cli("role", "definition", "delete", "Reader");
        assertThat(builtIn.err()).contains("409 BuiltInRoleImmutable");
    }

    @Test
    void roleChangesAreAuditedUnderTheirActions() throws Exception {
        Result r = cli("role", "assignment", "create", "--role", "Reader", "--assignee", "auditor", "--assignee-type", "User",
                "--scope", "/accounts/audited", "-o", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<StoredAuditRecord> records = bulwark.bulwark().audit().query(new AuditQuery("audited", null, null, null, 10));
        assertThat(records).anySatisfy(rec -> {
            assertThat(rec.record().operationName()).isEqualTo("Microsoft.Authorization/roleAssignments/write");
            assertThat(rec.record().resultSignature()).isEqualTo("201");
            assertThat(rec.record().properties()).containsEntry("principalId", "auditor");
        });
    }

    @Test
    void theHttpApiAnswersArmShapes() {
        var list = bulwark.management("GET", "/roleDefinitions", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("value").size()).isGreaterThanOrEqualTo(10);
        var put = bulwark.management("PUT", "/roleAssignments/11111111-2222-4333-8444-555555555555",
                "{\"properties\":{\"roleDefinitionId\":\"acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\"g\","
                        + "\"principalType\":\"Group\",\"scope\":\"/\"}}");
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().get("id").asText()).isEqualTo("/providers/Microsoft.Authorization/roleAssignments/11111111-2222-4333-8444-555555555555");
        var anonymous = bulwark.management("GET", "/roleAssignments", null, "wrong-token");
        assertThat(anonymous.status()).isEqualTo(401);
    }
}
