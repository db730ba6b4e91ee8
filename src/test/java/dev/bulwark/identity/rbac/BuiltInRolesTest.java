package dev.bulwark.identity.rbac;

import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.bulwark.identity.rbac.Roles.assign;
import static dev.bulwark.identity.rbac.Roles.policy;
import static dev.bulwark.identity.rbac.Roles.user;
import static org.assertj.core.api.Assertions.assertThat;

/** Each built-in role's key permissions, evaluated through a policy as a real assignment would be. */
class BuiltInRolesTest {
    private static final String ALPHA = "/accounts/alpha";

    /** A user holding only {@code role} at {@code /accounts/alpha}. */
    private static Principal holder(RoleDefinition role) {
        return user("holder-of-" + role.id());
    }

    private static AccessPolicy holding(RoleDefinition role) {
        return policy(assign(role, "holder-of-" + role.id(), PrincipalType.User, ALPHA));
    }

    private static boolean can(RoleDefinition role, String action) {
        return holding(role).permitsAction(holder(role), ALPHA, action);
    }

    private static boolean canData(RoleDefinition role, String dataAction) {
        return holding(role).permitsDataAction(holder(role), ALPHA, dataAction);
    }

    private static void noDataActions(RoleDefinition role) {
        for (String a : Actions.DATA) {
            assertThat(canData(role, a)).as(role.roleName() + " " + a).isFalse();
        }
    }

    @Test
    void rolesCarryAzuresIdsAndNames() {
        assertThat(BuiltInRoles.OWNER.id()).isEqualTo("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
        assertThat(BuiltInRoles.CONTRIBUTOR.id()).isEqualTo("b24988ac-6180-42a0-ab88-20f7382dd24c");
        assertThat(BuiltInRoles.READER.id()).isEqualTo("acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(BuiltInRoles.COGNITIVE_SERVICES_USER.id()).isEqualTo("a97b65f3-24c7-4388-baec-2e87135dc908");
        assertThat(BuiltInRoles.COGNITIVE_SERVICES_CONTRIBUTOR.id()).isEqualTo("25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68");
        assertThat(BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER.id()).isEqualTo("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd");
        assertThat(BuiltInRoles.COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR.id()).isEqualTo("a001fd3d-188f-4b5d-821b-7da978bf7442");
        assertThat(BuiltInRoles.COGNITIVE_SERVICES_DATA_READER.id()).isEqualTo("b59867f0-fa02-499b-be73-45a86b5b3e1c");
        assertThat(BuiltInRoles.CUSTOMER_LOCKBOX_APPROVER.id()).isEqualTo("4dae6930-7baf-46f5-909e-0383bc931c46");
        assertThat(BuiltInRoles.byName("cognitive services user")).contains(BuiltInRoles.COGNITIVE_SERVICES_USER);
        assertThat(BuiltInRoles.byId("A97B65F3-24C7-4388-BAEC-2E87135DC908")).contains(BuiltInRoles.COGNITIVE_SERVICES_USER);
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (RoleDefinition r : BuiltInRoles.all()) {
            assertThat(ids.add(r.id())).as(r.roleName()).isTrue();
            assertThat(names.add(BuiltInRoles.nameKey(r.roleName()))).as(r.roleName()).isTrue();
            assertThat(r.type()).isEqualTo(RoleType.BUILT_IN);
            assertThat(r.assignableScopes()).containsExactly("/");
        }
    }

    @Test
    void ownerDoesEveryManagementActionIncludingAccessControlAndNoDataAction() {
        for (String a : Actions.MANAGEMENT) {
            assertThat(can(BuiltInRoles.OWNER, a)).as(a).isTrue();
        }
        noDataActions(BuiltInRoles.OWNER);
    }

    @Test
    void contributorManagesAccountsAndKeysButNotAccessControl() {
        RoleDefinition r = BuiltInRoles.CONTRIBUTOR;
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_DELETE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).as("as in Azure").isTrue();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_READ)).isTrue();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_WRITE)).isFalse();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_DELETE)).isFalse();
        assertThat(can(r, Actions.ROLE_DEFINITIONS_WRITE)).isFalse();
        assertThat(can(r, Actions.ROLE_DEFINITIONS_DELETE)).isFalse();
        noDataActions(r);
    }

    @Test
    void readerReadsEverythingButKeysAndChangesNothing() {
        RoleDefinition r = BuiltInRoles.READER;
        for (String a : Actions.MANAGEMENT) {
            assertThat(can(r, a)).as(a).isEqualTo(a.endsWith("/read"));
        }
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        noDataActions(r);
    }

    @Test
    void cognitiveServicesUserReadsListsKeysAndCallsEveryService() {
        RoleDefinition r = BuiltInRoles.COGNITIVE_SERVICES_USER;
        assertThat(can(r, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_REGENERATE_KEY)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isFalse();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_WRITE)).isFalse();
        for (String a : Actions.DATA) {
            assertThat(canData(r, a)).as(a).isTrue();
        }
    }

    @Test
    void cognitiveServicesContributorManagesAccountsWithNoDataAction() {
        RoleDefinition r = BuiltInRoles.COGNITIVE_SERVICES_CONTRIBUTOR;
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_DELETE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).as("Microsoft.CognitiveServices/* includes listKeys, as in Azure").isTrue();
        assertThat(can(r, Actions.ACCOUNTS_REGENERATE_KEY)).isTrue();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_READ)).isTrue();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_WRITE)).isFalse();
        assertThat(can(r, Actions.AUDIT_READ)).isFalse();
        noDataActions(r);
    }

    @Test
    void openAiUserCallsOpenAiButNotLanguageAndCannotListKeys() {
        RoleDefinition r = BuiltInRoles.COGNITIVE_SERVICES_OPENAI_USER;
        assertThat(canData(r, Actions.OPENAI_CHAT_COMPLETIONS)).isTrue();
        assertThat(canData(r, Actions.OPENAI_COMPLETIONS)).isTrue();
        assertThat(canData(r, Actions.OPENAI_EMBEDDINGS)).isTrue();
        assertThat(canData(r, Actions.OPENAI_MODELS_READ)).isTrue();
        assertThat(canData(r, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(canData(r, Actions.TOKEN_ISSUE)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isFalse();
    }

    @Test
    void openAiContributorHasEveryOpenAiDataActionAndDeploymentsButNoKeys() {
        RoleDefinition r = BuiltInRoles.COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR;
        assertThat(canData(r, Actions.OPENAI_CHAT_COMPLETIONS)).isTrue();
        assertThat(canData(r, "Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/write")).isTrue();
        assertThat(canData(r, Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
        assertThat(can(r, "Microsoft.CognitiveServices/accounts/deployments/write")).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
    }

    @Test
    void dataReaderReadsDataOnlyAndCannotCallAnalyzeText() {
        RoleDefinition r = BuiltInRoles.COGNITIVE_SERVICES_DATA_READER;
        assertThat(canData(r, Actions.OPENAI_MODELS_READ)).isTrue();
        assertThat(canData(r, Actions.OPENAI_DEPLOYMENTS_READ)).isTrue();
        assertThat(canData(r, Actions.LANGUAGE_ANALYZE_TEXT)).as("an action, not a read").isFalse();
        assertThat(canData(r, Actions.OPENAI_CHAT_COMPLETIONS)).isFalse();
        for (String a : Actions.MANAGEMENT) {
            assertThat(can(r, a)).as(a).isFalse();
        }
    }

    @Test
    void lockboxApproverDecidesLockboxRequestsAndTouchesNothingElse() {
        RoleDefinition r = BuiltInRoles.CUSTOMER_LOCKBOX_APPROVER;
        assertThat(can(r, Actions.LOCKBOX_REQUESTS_READ)).isTrue();
        assertThat(can(r, Actions.LOCKBOX_REQUESTS_DECIDE)).isTrue();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_READ)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_READ)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_WRITE)).isFalse();
        noDataActions(r);
    }

    @Test
    void bulwarkAccountManagerManagesAccountsWithoutSeeingKeysOrCallingServices() {
        RoleDefinition r = BuiltInRoles.BULWARK_ACCOUNT_MANAGER;
        assertThat(can(r, Actions.ACCOUNTS_READ)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_DELETE)).isTrue();
        assertThat(can(r, Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        assertThat(can(r, Actions.ACCOUNTS_REGENERATE_KEY)).as("its answer carries the keys").isFalse();
        assertThat(can(r, Actions.ROLE_ASSIGNMENTS_WRITE)).isFalse();
        noDataActions(r);
    }

    /** The issue's scenario: "a user with only a management role can create accounts but not call the Language API nor list keys". */
    @Test
    void aUserWithOnlyTheAccountManagerRoleAtRootCreatesAccountsButNeitherListsKeysNorCallsLanguage() {
        AccessPolicy p = policy(assign(BuiltInRoles.BULWARK_ACCOUNT_MANAGER, "ops", PrincipalType.User, "/"));
        Principal ops = user("ops");
        assertThat(p.permitsAction(ops, "/accounts/newacct", Actions.ACCOUNTS_WRITE)).isTrue();
        assertThat(p.permitsAction(ops, "/accounts/newacct", Actions.ACCOUNTS_LIST_KEYS)).isFalse();
        assertThat(p.permitsDataAction(ops, "/accounts/newacct", Actions.LANGUAGE_ANALYZE_TEXT)).isFalse();
    }

    @Test
    void everyCatalogActionIsAValidPatternAndTheListsDoNotOverlap() {
        for (String a : Actions.MANAGEMENT) {
            assertThat(ActionPattern.compile(a).matches(a)).isTrue();
        }
        for (String a : Actions.DATA) {
            assertThat(ActionPattern.compile(a).matches(a)).isTrue();
        }
        assertThat(Actions.MANAGEMENT).doesNotContainAnyElementsOf(Actions.DATA);
        assertThat(new HashSet<>(Actions.MANAGEMENT)).hasSize(Actions.MANAGEMENT.size());
        assertThat(new HashSet<>(Actions.DATA)).hasSize(Actions.DATA.size());
        assertThat(List.of(Actions.ACCOUNTS_LIST_KEYS, Actions.ACCOUNTS_REGENERATE_KEY)).allSatisfy(a -> assertThat(a).endsWith("/action"));
    }

    private static boolean canOnVault(RoleDefinition role, String scope, String dataAction) {
        return policy(assign(role, "holder-of-" + role.id(), PrincipalType.User, "/vault")).permitsDataAction(holder(role), scope, dataAction);
    }

    @Test
    void keyVaultRolesCarryAzuresIdsAndGrantOnlyTheirDataActions() {
        assertThat(BuiltInRoles.KEY_VAULT_ADMINISTRATOR.id()).isEqualTo("00482a5a-887f-4fb3-b363-3b7fe8e74483");
        assertThat(BuiltInRoles.KEY_VAULT_SECRETS_USER.id()).isEqualTo("4633458b-17de-408a-b874-0445c86b69e6");
        assertThat(BuiltInRoles.KEY_VAULT_SECRETS_OFFICER.id()).isEqualTo("b86a8fe4-44ce-4948-aee5-eccb2c155cd7");
        assertThat(BuiltInRoles.KEY_VAULT_CRYPTO_USER.id()).isEqualTo("12338af0-0e69-4776-bea7-57ae8d297424");
        assertThat(BuiltInRoles.KEY_VAULT_CRYPTO_OFFICER.id()).isEqualTo("14b46e9e-c2b7-41b4-b07b-48a6ebf60603");
        assertThat(BuiltInRoles.KEY_VAULT_READER.id()).isEqualTo("21090545-7ca7-4776-b22c-e363652d74d2");
        String secret = "/vault/secrets/api-key";
        String key = "/vault/keys/cmk";
        String get = dev.bulwark.vault.VaultActions.SECRET_GET;
        String set = dev.bulwark.vault.VaultActions.SECRET_SET;
        String purge = dev.bulwark.vault.VaultActions.SECRET_PURGE;
        String wrap = dev.bulwark.vault.VaultActions.KEY_WRAP;
        String create = dev.bulwark.vault.VaultActions.KEY_CREATE;
        String meta = dev.bulwark.vault.VaultActions.SECRET_READ_METADATA;
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_SECRETS_USER, secret, get)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_SECRETS_USER, secret, set)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_SECRETS_USER, key, wrap)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_SECRETS_OFFICER, secret, purge)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_SECRETS_OFFICER, key, create)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_CRYPTO_USER, key, wrap)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_CRYPTO_USER, key, create)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_CRYPTO_USER, secret, get)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_CRYPTO_OFFICER, key, create)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_CRYPTO_OFFICER, secret, get)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_READER, secret, meta)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_READER, secret, get)).isFalse();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_ADMINISTRATOR, secret, get)).isTrue();
        assertThat(canOnVault(BuiltInRoles.KEY_VAULT_ADMINISTRATOR, key, wrap)).isTrue();
        for (RoleDefinition r : new RoleDefinition[] {BuiltInRoles.OWNER, BuiltInRoles.CONTRIBUTOR, BuiltInRoles.READER,
                BuiltInRoles.COGNITIVE_SERVICES_USER}) {
            assertThat(canOnVault(r, secret, get)).as(r.roleName() + " reads no secret").isFalse();
        }
        for (RoleDefinition r : new RoleDefinition[] {BuiltInRoles.KEY_VAULT_ADMINISTRATOR, BuiltInRoles.KEY_VAULT_SECRETS_OFFICER}) {
            assertThat(canData(r, "Microsoft.CognitiveServices/accounts/Language/analyze-text/action")).as(r.roleName()).isFalse();
        }
    }

    @Test
    void theBootstrapAdminIsKeyVaultAdministratorOfTheVaultAndOfNothingElsesData() {
        Principal admin = new Principal.BootstrapAdmin();
        assertThat(AccessPolicy.EMPTY.permitsDataAction(admin, "/vault/secrets/x", dev.bulwark.vault.VaultActions.SECRET_GET)).isTrue();
        assertThat(AccessPolicy.EMPTY.permitsDataAction(admin, "/vault", dev.bulwark.vault.VaultActions.KEY_CREATE)).isTrue();
        assertThat(AccessPolicy.EMPTY.permitsDataAction(admin, ALPHA, dev.bulwark.vault.VaultActions.SECRET_GET)).isFalse();
        assertThat(AccessPolicy.EMPTY.permitsDataAction(admin, ALPHA, "Microsoft.CognitiveServices/accounts/Language/analyze-text/action"))
                .isFalse();
        assertThat(AccessPolicy.EMPTY.permitsDataAction(new Principal.AccountKey("alpha", dev.bulwark.account.KeyName.KEY1), "/vault/secrets/x",
                dev.bulwark.vault.VaultActions.SECRET_GET)).as("an account key never reaches the vault").isFalse();
    }
}
