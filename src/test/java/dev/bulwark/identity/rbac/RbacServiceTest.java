package dev.bulwark.identity.rbac;

import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.bulwark.identity.rbac.Roles.custom;
import static dev.bulwark.identity.rbac.Roles.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RbacServiceTest {
    @TempDir
    Path dir;
    Database db;
    RbacService rbac;
    final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void open() {
        db = Database.openSqlite(dir.resolve("b.db"));
        rbac = new RbacService(db, Clock.systemUTC(), changes::incrementAndGet);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static RoleDefinition keyless(String name, String... scopes) {
        return custom(name, List.of("Microsoft.CognitiveServices/*"), List.of(Actions.ACCOUNTS_LIST_KEYS), List.of(), List.of(), scopes);
    }

    private static RoleAssignment assignment(String roleId, String principal, PrincipalType type, String scope) {
        return new RoleAssignment(UUID.randomUUID().toString(), roleId, principal, type, scope);
    }

    private static void assertRbac(Runnable r, int status, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(RbacException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.status()).isEqualTo(status);
        });
    }

    // ---- role definitions ----

    @Test
    void customRolesAreStoredListedAfterBuiltInsAndReadBackIntact() {
        RoleDefinition r = custom("Deployment Operator", List.of("Microsoft.CognitiveServices/accounts/deployments/*"),
                List.of("Microsoft.CognitiveServices/accounts/deployments/delete"), List.of("Microsoft.CognitiveServices/accounts/OpenAI/*/read"),
                List.of("Microsoft.CognitiveServices/accounts/OpenAI/files/read"), "/accounts/alpha", "/accounts/beta");
        assertThat(rbac.createDefinition(r)).isEqualTo(r);
        assertThat(changes).hasValue(1);
        assertThat(rbac.getDefinition(r.id())).isEqualTo(r);
        assertThat(rbac.getDefinition(r.id().toUpperCase())).isEqualTo(r);
        assertThat(rbac.findDefinitionByName("deployment operator")).contains(r);
        List<RoleDefinition> all = rbac.listDefinitions();
        assertThat(all.subList(0, BuiltInRoles.all().size())).isEqualTo(BuiltInRoles.all());
        assertThat(all).last().isEqualTo(r);
    }

    @Test
    void unknownDefinitionIsA404AndAMalformedIdIsNotFoundEither() {
        assertRbac(() -> rbac.getDefinition(UUID.randomUUID().toString()), 404, "RoleDefinitionDoesNotExist");
        assertThat(rbac.findDefinition("not-a-guid")).isEmpty();
        assertThat(rbac.findDefinition(null)).isEmpty();
    }

    @Test
    void roleNamesAreUniqueIgnoringCaseIncludingBuiltInNames() {
        rbac.createDefinition(keyless("Ops"));
        assertRbac(() -> rbac.createDefinition(keyless("OPS")), 409, "RoleDefinitionWithSameNameExists");
        assertRbac(() -> rbac.createDefinition(keyless("cognitive services user")), 409, "RoleDefinitionWithSameNameExists");
        assertThat(changes).hasValue(1);
    }

    @Test
    void builtInRolesCannotBeReplacedOrDeleted() {
        RoleDefinition impostor = new RoleDefinition(BuiltInRoles.READER.id(), "Not Reader", "", RoleType.CUSTOM,
                Permission.ofActions(List.of("*"), List.of()), List.of("/"));
        assertRbac(() -> rbac.putDefinition(impostor), 409, "BuiltInRoleImmutable");
        assertRbac(() -> rbac.deleteDefinition(BuiltInRoles.OWNER.id()), 409, "BuiltInRoleImmutable");
        assertThat(rbac.getDefinition(BuiltInRoles.READER.id())).isEqualTo(BuiltInRoles.READER);
    }

    @Test
    void putCreatesThenReplacesACustomRoleUnderTheSameId() {
        RoleDefinition v1 = keyless("Ops");
        assertThat(rbac.putDefinition(v1).created()).isTrue();
        RoleDefinition v2 = new RoleDefinition(v1.id(), "Ops v2", "renamed", RoleType.CUSTOM,
                Permission.ofActions(List.of("*/read"), List.of()), List.of("/"));
        RbacService.PutResult<RoleDefinition> r = rbac.putDefinition(v2);
        assertThat(r.created()).isFalse();
        assertThat(rbac.getDefinition(v1.id())).isEqualTo(v2);
        assertThat(rbac.findDefinitionByName("Ops")).isEmpty();
        assertThat(changes).hasValue(2);
    }

    @Test
    void createNeverOverwritesAnExistingId() {
        RoleDefinition v1 = keyless("Ops");
        rbac.createDefinition(v1);
        RoleDefinition sameId = new RoleDefinition(v1.id(), "Other", "", RoleType.CUSTOM, v1.permissions(), v1.assignableScopes());
        assertRbac(() -> rbac.createDefinition(sameId), 409, "RoleDefinitionExists");
        assertThat(rbac.getDefinition(v1.id()).roleName()).isEqualTo("Ops");
    }

    @Test
    void aRoleInUseCannotBeDeletedUntilItsAssignmentsAre() {
        RoleDefinition r = rbac.createDefinition(keyless("Ops"));
        RoleAssignment a = rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/accounts/alpha")).value();
        assertRbac(() -> rbac.deleteDefinition(r.id()), 409, "RoleDefinitionHasAssignments");
        assertThat(rbac.deleteAssignment(a.id())).contains(a);
        assertThat(rbac.deleteDefinition(r.id())).isTrue();
        assertThat(rbac.deleteDefinition(r.id())).isFalse();
        assertThat(rbac.findDefinition(r.id())).isEmpty();
    }

    @Test
    void narrowingAssignableScopesBelowAnExistingAssignmentIsAConflict() {
        RoleDefinition r = rbac.createDefinition(keyless("Ops", "/"));
        rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/accounts/beta"));
        RoleDefinition narrowed = new RoleDefinition(r.id(), "Ops", "", RoleType.CUSTOM, r.permissions(), List.of("/accounts/alpha"));
        assertRbac(() -> rbac.putDefinition(narrowed), 409, "RoleDefinitionHasAssignments");
        assertThat(rbac.getDefinition(r.id()).assignableScopes()).containsExactly("/");
        RoleDefinition stillCovering = new RoleDefinition(r.id(), "Ops", "", RoleType.CUSTOM, r.permissions(), List.of("/accounts/beta"));
        assertThat(rbac.putDefinition(stillCovering).created()).isFalse();
    }

    @Test
    void aRoleThatGrantsNothingOrHasNoAssignableScopeIsInvalid() {
        assertRbac(() -> custom("Empty", List.of(), List.of("*"), List.of(), List.of("*")), 400, "InvalidPermissions");
        assertRbac(() -> new RoleDefinition(UUID.randomUUID().toString(), "X", "", RoleType.CUSTOM,
                Permission.ofActions(List.of("*/read"), List.of()), List.of()), 400, "InvalidAssignableScopes");
        assertRbac(() -> custom("Bad scope", List.of("*/read"), List.of(), List.of(), List.of(), "/subscriptions/x"), 400, "InvalidScope");
        assertRbac(() -> custom(" padded", List.of("*/read"), List.of(), List.of(), List.of()), 400, "InvalidRoleName");
    }

    // ---- role assignments ----

    @Test
    void anAssignmentIsStoredAndTakesEffectInTheNextPolicy() {
        RoleAssignment a = assignment(BuiltInRoles.COGNITIVE_SERVICES_USER.id(), "u1", PrincipalType.User, "/accounts/alpha");
        assertThat(rbac.loadPolicy().permitsDataAction(user("u1"), "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        RbacService.PutResult<RoleAssignment> r = rbac.putAssignment(a);
        assertThat(r.created()).isTrue();
        assertThat(changes).hasValue(1);
        assertThat(rbac.findAssignment(a.id())).contains(a);
        assertThat(rbac.loadPolicy().permitsDataAction(user("u1"), "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        rbac.deleteAssignment(a.id());
        assertThat(changes).hasValue(2);
        assertThat(rbac.loadPolicy().permitsDataAction(user("u1"), "/accounts/alpha", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
    }

    @Test
    void theRoleMustExist() {
        assertRbac(() -> rbac.putAssignment(assignment(UUID.randomUUID().toString(), "u1", PrincipalType.User, "/")), 400,
                "RoleDefinitionDoesNotExist");
        assertThat(rbac.listAssignments(AssignmentFilter.ALL)).isEmpty();
        assertThat(changes).hasValue(0);
    }

    @Test
    void theSameRolePrincipalAndScopeTwiceIsAConflictWhateverTheIdOrType() {
        RoleAssignment first = rbac.putAssignment(assignment(BuiltInRoles.READER.id(), "u1", PrincipalType.User, "/accounts/alpha")).value();
        assertThatThrownBy(() -> rbac.putAssignment(assignment(BuiltInRoles.READER.id(), "u1", PrincipalType.ServicePrincipal, "/accounts/alpha")))
                .isInstanceOfSatisfying(RbacException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("RoleAssignmentExists");
                    assertThat(e.getMessage()).contains(first.id());
                });
        // Same principal and role at another scope, or another role at the same scope, are fine.
        rbac.putAssignment(assignment(BuiltInRoles.READER.id(), "u1", PrincipalType.User, "/accounts/alphabet"));
        rbac.putAssignment(assignment(BuiltInRoles.CONTRIBUTOR.id(), "u1", PrincipalType.User, "/accounts/alpha"));
        assertThat(rbac.listAssignments(AssignmentFilter.ALL)).hasSize(3);
    }

    @Test
    void puttingTheIdenticalAssignmentAgainIsAnUnchangedSuccessButChangingItIsAConflict() {
        RoleAssignment a = assignment(BuiltInRoles.READER.id(), "u1", PrincipalType.User, "/accounts/alpha");
        rbac.putAssignment(a);
        RbacService.PutResult<RoleAssignment> again = rbac.putAssignment(a);
        assertThat(again.created()).isFalse();
        assertThat(changes).hasValue(1);
        RoleAssignment moved = new RoleAssignment(a.id(), a.roleDefinitionId(), a.principalId(), a.principalType(), "/");
        assertRbac(() -> rbac.putAssignment(moved), 409, "RoleAssignmentUpdateNotPermitted");
        assertThat(rbac.findAssignment(a.id())).contains(a);
    }

    @Test
    void theRoleMustBeAssignableAtTheScope() {
        RoleDefinition r = rbac.createDefinition(keyless("Alpha ops", "/accounts/alpha"));
        rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/accounts/alpha"));
        rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/accounts/alpha/deployments/d"));
        assertRbac(() -> rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/accounts/alphabet")), 400, "RoleNotAssignableAtScope");
        assertRbac(() -> rbac.putAssignment(assignment(r.id(), "u1", PrincipalType.User, "/")), 400, "RoleNotAssignableAtScope");
    }

    @Test
    void assignmentsAreValidatedBeforeTheyReachTheStore() {
        String role = BuiltInRoles.READER.id();
        assertRbac(() -> assignment(role, "u1", PrincipalType.User, "/accounts/alpha/"), 400, "InvalidScope");
        assertRbac(() -> assignment(role, "", PrincipalType.User, "/"), 400, "InvalidPrincipalId");
        assertRbac(() -> assignment(role, "u\u0000", PrincipalType.User, "/"), 400, "InvalidPrincipalId");
        assertRbac(() -> assignment(role, "x".repeat(257), PrincipalType.User, "/"), 400, "InvalidPrincipalId");
        assertRbac(() -> assignment(role, "u1", null, "/"), 400, "InvalidPrincipalType");
        assertRbac(() -> new RoleAssignment("nope", role, "u1", PrincipalType.User, "/"), 400, "InvalidRoleAssignmentId");
        assertRbac(() -> rbac.deleteAssignment("nope"), 400, "InvalidRoleAssignmentId");
    }

    @Test
    void listingFiltersByScopeSegmentAwareAndByPrincipal() {
        String reader = BuiltInRoles.READER.id();
        RoleAssignment root = rbac.putAssignment(assignment(reader, "u1", PrincipalType.User, "/")).value();
        RoleAssignment alpha = rbac.putAssignment(assignment(reader, "u1", PrincipalType.User, "/accounts/alpha")).value();
        RoleAssignment deep = rbac.putAssignment(assignment(reader, "u2", PrincipalType.User, "/accounts/alpha/deployments/d")).value();
        RoleAssignment alphabet = rbac.putAssignment(assignment(reader, "u2", PrincipalType.User, "/accounts/alphabet")).value();
        // "/accounts/alpha0" sorts right after the "/accounts/alpha/" range: the range must stop before it.
        RoleAssignment alpha0 = rbac.putAssignment(assignment(reader, "u3", PrincipalType.User, "/accounts/alpha0")).value();

        assertThat(rbac.listAssignments(new AssignmentFilter("/accounts/alpha", false, null))).containsExactlyInAnyOrder(alpha, deep);
        assertThat(rbac.listAssignments(new AssignmentFilter("/accounts/alpha", true, null))).containsExactlyInAnyOrder(root, alpha, deep);
        assertThat(rbac.listAssignments(new AssignmentFilter("/accounts/alpha/deployments/d", true, null)))
                .containsExactlyInAnyOrder(root, alpha, deep);
        assertThat(rbac.listAssignments(new AssignmentFilter("/", false, null))).hasSize(5);
        assertThat(rbac.listAssignments(new AssignmentFilter(null, false, "u2"))).containsExactlyInAnyOrder(deep, alphabet);
        assertThat(rbac.listAssignments(new AssignmentFilter("/accounts/alpha", false, "u2"))).containsExactly(deep);
        for (AssignmentFilter f : List.of(new AssignmentFilter("/accounts/alpha", true, null), new AssignmentFilter(null, false, "u2"))) {
            assertThat(rbac.listAssignments(f)).allMatch(f::accepts);
        }
        assertThat(alpha0.scope()).isEqualTo("/accounts/alpha0");
    }

    @Test
    void deletingAnUnknownAssignmentChangesNothing() {
        assertThat(rbac.deleteAssignment(UUID.randomUUID().toString())).isEmpty();
        assertThat(changes).hasValue(0);
    }

    @Test
    void deletingAnAccountDeletesTheAssignmentsWithinItSoARecreatedAccountInheritsNone() throws Exception {
        String reader = BuiltInRoles.READER.id();
        insertAccount("alpha");
        insertAccount("alphabet");
        RoleAssignment root = rbac.putAssignment(assignment(reader, "u1", PrincipalType.User, "/")).value();
        rbac.putAssignment(assignment(reader, "u1", PrincipalType.User, "/accounts/alpha"));
        rbac.putAssignment(assignment(reader, "u2", PrincipalType.User, "/accounts/alpha/deployments/d"));
        RoleAssignment alphabet = rbac.putAssignment(assignment(reader, "u2", PrincipalType.User, "/accounts/alphabet")).value();

        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM accounts WHERE name = ?")) {
                p.setString(1, "alpha");
                return p.executeUpdate();
            }
        });
        assertThat(rbac.listAssignments(AssignmentFilter.ALL)).containsExactlyInAnyOrder(root, alphabet);
    }

    private void insertAccount(String name) {
        db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO accounts(name, kind, location, sku, tags_json, props_json, "
                    + "created_at, updated_at) VALUES (?, 'TextAnalytics', 'westeurope', 'S0', '{}', '{}', 'x', 'x')")) {
                p.setString(1, name);
                return p.executeUpdate();
            }
        });
    }
}
