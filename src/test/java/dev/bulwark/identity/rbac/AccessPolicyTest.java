package dev.bulwark.identity.rbac;

import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static dev.bulwark.identity.rbac.Roles.assign;
import static dev.bulwark.identity.rbac.Roles.custom;
import static dev.bulwark.identity.rbac.Roles.key;
import static dev.bulwark.identity.rbac.Roles.policy;
import static dev.bulwark.identity.rbac.Roles.user;
import static dev.bulwark.identity.rbac.Roles.workload;
import static org.assertj.core.api.Assertions.assertThat;

class AccessPolicyTest {
    private static final String ALPHA = "/accounts/alpha";
    private static final String ALPHABET = "/accounts/alphabet";
    private static final String BETA = "/accounts/beta";

    // ---- deny by default ----

    @Test
    void nobodyButTheAdminAndKeysGetsAnythingWithoutAssignments() {
        AccessPolicy p = AccessPolicy.EMPTY;
        for (Principal who : List.of(user("u1", "g1"), workload("w1"))) {
            for (String action : Actions.MANAGEMENT) {
                assertThat(p.permitsAction(who, "/", action)).as(who + " " + action).isFalse();
                assertThat(p.permitsAction(who, ALPHA, action)).as(who + " " + action).isFalse();
            }
            for (String action : Actions.DATA) {
                assertThat(p.permitsDataAction(who, ALPHA, action)).as(who + " " + action).isFalse();
            }
        }
    }

    @Test
    void anAssignmentToSomeoneElseGrantsNothing() {
        AccessPolicy p = policy(assign(BuiltInRoles.OWNER, "u1", PrincipalType.User, "/"));
        assertThat(p.permitsAction(user("u2"), "/", Actions.ACCOUNTS_READ)).isFalse();
        assertThat(p.permitsAction(user("U1"), "/", Actions.ACCOUNTS_READ)).as("principal ids are compared exactly").isFalse();
        assertThat(p.permitsAction(user("u1"), "/", Actions.ACCOUNTS_READ)).isTrue();
    }

    @Test
    void invalidScopesNullsAndEmptyActionsAreRefusedEvenForTheAdmin() {
        AccessPolicy p = AccessPolicy.EMPTY;
        Principal admin = new Principal.BootstrapAdmin();
        assertThat(p.permitsAction(admin, "/", Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(p.permitsAction(admin, "/accounts/alpha/../beta", Actions.ACCOUNTS_WRITE)).isFalse();
        assertThat(p.permitsAction(admin, "", Actions.ACCOUNTS_WRITE)).isFalse();
        assertThat(p.permitsAction(admin, null, Actions.ACCOUNTS_WRITE)).isFalse();
        assertThat(p.permitsAction(admin, "/", "")).isFalse();
        assertThat(p.permitsAction(admin, "/", null)).isFalse();
        assertThat(p.permitsAction(null, "/", Actions.ACCOUNTS_READ)).isFalse();
        assertThat(p.permitsDataAction(key("alpha"), "/accounts/alpha/../beta", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(p.permitsDataAction(key("alpha"), ALPHA, "")).isFalse();
    }

    @Test
    void withoutAssignmentsThePolicyAllowsExactlyWhatTheSnapshotsDefaultRulesAllow() {
        dev.bulwark.snapshot.AccessRules defaults = dev.bulwark.snapshot.AccessRules.KEYS_AND_BOOTSTRAP_ONLY;
        List<Principal> who = List.of(new Principal.BootstrapAdmin(), key("alpha"), key("alphabet"), user("u1", "g1"), workload("w1"));
        List<String> scopes = List.of("/", ALPHA, ALPHA + "/deployments/d", ALPHABET, BETA);
        for (Principal p : who) {
            for (String scope : scopes) {
                for (String a : Actions.MANAGEMENT) {
                    assertThat(AccessPolicy.EMPTY.permitsAction(p, scope, a)).as(p + " " + scope + " " + a)
                            .isEqualTo(defaults.permitsAction(p, scope, a));
                }
                for (String a : Actions.DATA) {
                    assertThat(AccessPolicy.EMPTY.permitsDataAction(p, scope, a)).as(p + " " + scope + " " + a)
                            .isEqualTo(defaults.permitsDataAction(p, scope, a));
                }
            }
        }
    }

    // ---- the bootstrap admin and keys ----

    @Test
    void bootstrapAdminIsOwnerAtRootWithEveryActionAndNoDataAction() {
        Principal admin = new Principal.BootstrapAdmin();
        for (String action : Actions.MANAGEMENT) {
            assertThat(AccessPolicy.EMPTY.permitsAction(admin, "/", action)).as(action).isTrue();
            assertThat(AccessPolicy.EMPTY.permitsAction(admin, ALPHA + "/deployments/d", action)).as(action).isTrue();
        }
        for (String action : Actions.DATA) {
            assertThat(AccessPolicy.EMPTY.permitsDataAction(admin, ALPHA, action)).as(action).isFalse();
        }
    }

    @Test
    void aKeyGetsEveryDataActionOfItsOwnAccountAndBelow() {
        for (String action : Actions.DATA) {
            assertThat(AccessPolicy.EMPTY.permitsDataAction(key("alpha"), ALPHA, action)).as(action).isTrue();
            assertThat(AccessPolicy.EMPTY.permitsDataAction(key("alpha"), ALPHA + "/deployments/gpt", action)).as(action).isTrue();
        }
        assertThat(AccessPolicy.EMPTY.permitsDataAction(key("alpha"), ALPHA, "Some.Future/dataAction")).isTrue();
    }

    @Test
    void aKeyNeverGetsAManagementActionNotEvenReadingItsOwnAccount() {
        AccessPolicy p = policy(assign(BuiltInRoles.OWNER, "alpha", PrincipalType.User, "/"));
        for (String action : Actions.MANAGEMENT) {
            assertThat(p.permitsAction(key("alpha"), ALPHA, action)).as(action).isFalse();
            assertThat(p.permitsAction(key("alpha"), "/", action)).as(action).isFalse();
        }
    }

    @Test
    void aKeyOfOneAccountGetsNothingOnAnotherNorOnOneWhoseNameExtendsIt() {
        for (String scope : List.of(BETA, ALPHABET, ALPHABET + "/deployments/d", "/")) {
            for (String action : Actions.DATA) {
                assertThat(AccessPolicy.EMPTY.permitsDataAction(key("alpha"), scope, action)).as(scope + " " + action).isFalse();
            }
        }
    }

    // ---- roles: actions minus notActions ----

    @Test
    void notActionsSubtractFromActionsOfTheSameRole() {
        RoleDefinition r = custom("No keys", List.of("Microsoft.CognitiveServices/*"), List.of("*/listKeys/action"), List.of(), List.of());
        AccessPolicy p = policy(List.of(r), assign(r, "u1", PrincipalType.User, "/"));
        assertThat(p.permitsAction(user("u1"), ALPHA, Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(p.permitsAction(user("u1"), ALPHA, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        assertThat(p.permitsAction(user("u1"), ALPHA, Actions.ACCOUNTS_LIST_KEYS.toUpperCase())).isFalse();
    }

    @Test
    void notDataActionsSubtractFromDataActions() {
        RoleDefinition r = custom("Everything but embeddings", List.of(), List.of(), List.of("Microsoft.CognitiveServices/*"),
                List.of("Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/*"));
        AccessPolicy p = policy(List.of(r), assign(r, "u1", PrincipalType.User, ALPHA));
        assertThat(p.permitsDataAction(user("u1"), ALPHA, Actions.OPENAI_CHAT_COMPLETIONS)).isTrue();
        assertThat(p.permitsDataAction(user("u1"), ALPHA, Actions.OPENAI_EMBEDDINGS)).isFalse();
    }

    @Test
    void aNotActionIsNotADenyAnotherRoleStillGrantsIt() {
        RoleDefinition noKeys = custom("No keys", List.of("Microsoft.CognitiveServices/*"), List.of(Actions.ACCOUNTS_LIST_KEYS), List.of(), List.of());
        AccessPolicy p = policy(List.of(noKeys), assign(noKeys, "u1", PrincipalType.User, "/"),
                assign(BuiltInRoles.COGNITIVE_SERVICES_USER, "u1", PrincipalType.User, ALPHA));
        assertThat(p.permitsAction(user("u1"), ALPHA, Actions.ACCOUNTS_LIST_KEYS)).isTrue();
        assertThat(p.permitsAction(user("u1"), BETA, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
    }

    @Test
    void actionsAndDataActionsAreSeparateLists() {
        RoleDefinition mgmt = custom("Mgmt wildcard", List.of("*"), List.of(), List.of(), List.of());
        RoleDefinition data = custom("Data wildcard", List.of(), List.of(), List.of("*"), List.of());
        AccessPolicy p = policy(List.of(mgmt, data), assign(mgmt, "m", PrincipalType.User, "/"), assign(data, "d", PrincipalType.User, "/"));
        assertThat(p.permitsAction(user("m"), ALPHA, Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(p.permitsDataAction(user("m"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(p.permitsDataAction(user("d"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(p.permitsAction(user("d"), ALPHA, Actions.ACCOUNTS_READ)).isFalse();
    }

    // ---- scopes ----

    @Test
    void anAssignmentAppliesAtItsScopeAndEverythingUnderIt() {
        AccessPolicy p = policy(assign(BuiltInRoles.READER, "u1", PrincipalType.User, ALPHA));
        assertThat(p.permitsAction(user("u1"), ALPHA, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(p.permitsAction(user("u1"), ALPHA + "/deployments/d", Actions.ACCOUNTS_READ)).isTrue();
        assertThat(p.permitsAction(user("u1"), "/", Actions.ACCOUNTS_READ)).as("not above").isFalse();
        assertThat(p.permitsAction(user("u1"), BETA, Actions.ACCOUNTS_READ)).as("not beside").isFalse();
    }

    @Test
    void scopeCoverageIsSegmentAware() {
        AccessPolicy p = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, "u1", PrincipalType.User, ALPHA));
        assertThat(p.permitsDataAction(user("u1"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(p.permitsDataAction(user("u1"), ALPHABET, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(p.permitsAction(user("u1"), ALPHABET, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
    }

    @Test
    void anAssignmentAtRootAppliesToEveryAccount() {
        AccessPolicy p = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, "u1", PrincipalType.User, "/"));
        assertThat(p.permitsDataAction(user("u1"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(p.permitsDataAction(user("u1"), BETA + "/deployments/x", Actions.OPENAI_CHAT_COMPLETIONS)).isTrue();
    }

    @Test
    void aNarrowAssignmentDoesNotReachItsParent() {
        AccessPolicy p = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER, "u1", PrincipalType.User, ALPHA + "/deployments/gpt"));
        assertThat(p.permitsDataAction(user("u1"), ALPHA + "/deployments/gpt", Actions.OPENAI_CHAT_COMPLETIONS)).isTrue();
        assertThat(p.permitsDataAction(user("u1"), ALPHA + "/deployments/other", Actions.OPENAI_CHAT_COMPLETIONS)).isFalse();
        assertThat(p.permitsDataAction(user("u1"), ALPHA, Actions.OPENAI_CHAT_COMPLETIONS)).isFalse();
    }

    // ---- who an assignment matches ----

    @Test
    void aGroupAssignmentAppliesToItsMembersOnly() {
        AccessPolicy p = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, "/language-team", PrincipalType.Group, ALPHA));
        assertThat(p.permitsDataAction(user("u1", "/other", "/language-team"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(p.permitsDataAction(user("u2", "/other"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(p.permitsDataAction(user("u3"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(p.permitsDataAction(user("/language-team"), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT))
                .as("a user whose object id equals a group id is not a member").isFalse();
    }

    @Test
    void groupMembershipIsFoundWhicheverSideIsShorter() {
        // Many assigned groups, user in few; and few assigned groups, user in many.
        RoleAssignment[] many = new RoleAssignment[50];
        for (int i = 0; i < many.length; i++) {
            many[i] = assign(BuiltInRoles.READER, "g" + i, PrincipalType.Group, ALPHA);
        }
        AccessPolicy manyGroups = policy(many);
        assertThat(manyGroups.permitsAction(user("u", "g49"), ALPHA, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(manyGroups.permitsAction(user("u", "g50"), ALPHA, Actions.ACCOUNTS_READ)).isFalse();

        String[] memberOf = new String[200];
        for (int i = 0; i < memberOf.length; i++) {
            memberOf[i] = "m" + i;
        }
        AccessPolicy oneGroup = policy(assign(BuiltInRoles.READER, "m137", PrincipalType.Group, ALPHA));
        assertThat(oneGroup.permitsAction(user("u", memberOf), ALPHA, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(oneGroup.permitsAction(user("u", "m1", "m2"), ALPHA, Actions.ACCOUNTS_READ)).isFalse();
    }

    @Test
    void aUserMatchesUserAndServicePrincipalAssignmentsByObjectId() {
        AccessPolicy p = policy(assign(BuiltInRoles.READER, "sp-oid", PrincipalType.ServicePrincipal, ALPHA));
        assertThat(p.permitsAction(user("sp-oid"), ALPHA, Actions.ACCOUNTS_READ)).isTrue();
    }

    @Test
    void aWorkloadMatchesOnlyServicePrincipalAssignmentsOfItsId() {
        String id = UUID.randomUUID().toString();
        AccessPolicy asSp = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, id, PrincipalType.ServicePrincipal, ALPHA));
        AccessPolicy asUser = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, id, PrincipalType.User, ALPHA));
        AccessPolicy asGroup = policy(assign(BuiltInRoles.COGNITIVE_SERVICES_USER, id, PrincipalType.Group, ALPHA));
        assertThat(asSp.permitsDataAction(workload(id), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isTrue();
        assertThat(asUser.permitsDataAction(workload(id), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(asGroup.permitsDataAction(workload(id), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(asSp.permitsDataAction(workload(UUID.randomUUID().toString()), ALPHA, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
    }

    @Test
    void principalsWithNullIdsAreRefusedNotCrashed() {
        AccessPolicy p = policy(assign(BuiltInRoles.READER, "u1", PrincipalType.User, "/"));
        assertThat(p.permitsAction(new Principal.User("iss", null, java.util.Set.of(), null), "/", Actions.ACCOUNTS_READ)).isFalse();
        assertThat(p.permitsAction(new Principal.Workload(null, "w"), "/", Actions.ACCOUNTS_READ)).isFalse();
    }

    // ---- building ----

    @Test
    void anAssignmentWhoseRoleIsUnknownGrantsNothingAndIsCounted() {
        RoleDefinition gone = custom("Gone", List.of("*"), List.of(), List.of("*"), List.of());
        AccessPolicy p = AccessPolicy.of(BuiltInRoles.all(), List.of(assign(gone, "u1", PrincipalType.User, "/"),
                assign(BuiltInRoles.READER, "u2", PrincipalType.User, "/")));
        assertThat(p.permitsAction(user("u1"), "/", Actions.ACCOUNTS_READ)).isFalse();
        assertThat(p.skippedAssignments()).isEqualTo(1);
        assertThat(p.assignmentCount()).isEqualTo(1);
    }

    @Test
    void thePolicyDoesNotChangeWhenItsInputsDo() {
        java.util.List<RoleAssignment> assignments = new java.util.ArrayList<>();
        assignments.add(assign(BuiltInRoles.READER, "u1", PrincipalType.User, "/"));
        AccessPolicy p = AccessPolicy.of(BuiltInRoles.all(), assignments);
        assignments.clear();
        assignments.add(assign(BuiltInRoles.OWNER, "u2", PrincipalType.User, "/"));
        assertThat(p.permitsAction(user("u1"), "/", Actions.ACCOUNTS_READ)).isTrue();
        assertThat(p.permitsAction(user("u2"), "/", Actions.ACCOUNTS_READ)).isFalse();
    }
}
