package dev.bulwark.identity.rbac;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The roles that ship with Bulwark. Each Azure role keeps Azure's role-definition id, name and
 * description, and the entries of its permission lists that name something Bulwark has (Azure's
 * entries for Microsoft.Insights, Microsoft.Resources, Microsoft.Support and so on are left out:
 * Bulwark has no such resources). One role is Bulwark's own and says so: Azure has no built-in role
 * that can manage accounts without seeing their keys. The mapping is documented in
 * {@code docs/rbac.md}; {@code BuiltInRolesTest} pins each role's key permissions.
 */
public final class BuiltInRoles {
    private BuiltInRoles() {
    }

    private static final List<String> ROOT = List.of(Scope.ROOT);

    /** Everything, including access control; no data actions. Azure's Owner. The bootstrap admin token acts as this at {@code /}. */
    public static final RoleDefinition OWNER = role("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner",
            "Grants full access to manage all resources, including the ability to assign roles.",
            new Permission(List.of("*"), List.of(), List.of(), List.of()));

    /** Everything except access control; no data actions. Can list and regenerate keys, as in Azure. */
    public static final RoleDefinition CONTRIBUTOR = role("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor",
            "Grants full access to manage all resources, but does not allow you to assign roles.",
            new Permission(List.of("*"),
                    List.of("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"),
                    List.of(), List.of()));

    /** Every read; no keys (listKeys is an action, not a read), no data actions. */
    public static final RoleDefinition READER = role("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader",
            "View all resources, but does not allow you to make any changes.",
            new Permission(List.of("*/read"), List.of(), List.of(), List.of()));

    /** Read accounts, list keys, and every data action. */
    public static final RoleDefinition COGNITIVE_SERVICES_USER = role("a97b65f3-24c7-4388-baec-2e87135dc908", "Cognitive Services User",
            "Lets you read and list keys of Cognitive Services.",
            new Permission(List.of("Microsoft.CognitiveServices/*/read", "Microsoft.CognitiveServices/accounts/listkeys/action"),
                    List.of(), List.of("Microsoft.CognitiveServices/*"), List.of()));

    /** Manage accounts (create, change, delete, list and regenerate keys); no data actions. */
    public static final RoleDefinition COGNITIVE_SERVICES_CONTRIBUTOR = role("25fbc0a9-bd7c-42a3-aa1a-3b75d497ee68",
            "Cognitive Services Contributor",
            "Lets you create, read, update, delete and manage keys of Cognitive Services.",
            new Permission(List.of("Microsoft.Authorization/*/read", "Microsoft.CognitiveServices/*"), List.of(), List.of(), List.of()));

    /** Read, and call the OpenAI inference routes; no keys. */
    public static final RoleDefinition COGNITIVE_SERVICES_OPENAI_USER = role("5e0bd9bd-7b93-4f28-af87-19fc36ad61bd",
            "Cognitive Services OpenAI User",
            "Ability to view files, models, deployments. Readers can't make any changes They can inference and create images",
            new Permission(
                    List.of("Microsoft.CognitiveServices/*/read", "Microsoft.Authorization/roleAssignments/read",
                            "Microsoft.Authorization/roleDefinitions/read"),
                    List.of(),
                    List.of("Microsoft.CognitiveServices/accounts/OpenAI/*/read",
                            "Microsoft.CognitiveServices/accounts/OpenAI/engines/completions/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/engines/search/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/engines/generate/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/audio/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/search/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/extensions/chat/completions/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action",
                            "Microsoft.CognitiveServices/accounts/OpenAI/images/generations/action"),
                    List.of()));

    /** Every OpenAI data action, plus deployments (and their policies); no keys. */
    public static final RoleDefinition COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR = role("a001fd3d-188f-4b5d-821b-7da978bf7442",
            "Cognitive Services OpenAI Contributor",
            "Full access including the ability to fine-tune, deploy and generate text",
            new Permission(
                    List.of("Microsoft.CognitiveServices/*/read", "Microsoft.CognitiveServices/accounts/deployments/write",
                            "Microsoft.CognitiveServices/accounts/deployments/delete", "Microsoft.CognitiveServices/accounts/raiPolicies/read",
                            "Microsoft.CognitiveServices/accounts/raiPolicies/write", "Microsoft.CognitiveServices/accounts/raiPolicies/delete",
                            "Microsoft.CognitiveServices/accounts/commitmentplans/read",
                            "Microsoft.CognitiveServices/accounts/commitmentplans/write",
                            "Microsoft.CognitiveServices/accounts/commitmentplans/delete",
                            "Microsoft.Authorization/roleAssignments/read", "Microsoft.Authorization/roleDefinitions/read"),
                    List.of(), List.of("Microsoft.CognitiveServices/accounts/OpenAI/*"), List.of()));

    /** Read-only data actions ({@code .../read}); no management action at all. Cannot call analyze-text (an action). */
    public static final RoleDefinition COGNITIVE_SERVICES_DATA_READER = role("b59867f0-fa02-499b-be73-45a86b5b3e1c",
            "Cognitive Services Data Reader (Preview)",
            "Lets you read Cognitive Services data.",
            new Permission(List.of(), List.of(), List.of("Microsoft.CognitiveServices/*/read"), List.of()));

    /** Decides customer lockbox requests. */
    public static final RoleDefinition CUSTOMER_LOCKBOX_APPROVER = role("4dae6930-7baf-46f5-909e-0383bc931c46",
            "Azure Customer Lockbox Approver for Subscription",
            "Can approve Microsoft support requests to access specific resources contained within a subscription, or the "
                    + "subscription itself, when Customer Lockbox for Microsoft Azure is enabled on the tenant where the subscription resides.",
            new Permission(List.of("Microsoft.CustomerLockbox/requests/UpdateApproval/action", "Microsoft.CustomerLockbox/requests/read",
                    "Microsoft.Authorization/*/read"), List.of(), List.of(), List.of()));

    /**
     * Bulwark's own (not an Azure role): manage accounts without ever seeing their keys, and no data
     * actions. Every Azure role that can write accounts can also list keys; this one cannot list or
     * regenerate them (regenerateKey answers with the new keys).
     */
    public static final RoleDefinition BULWARK_ACCOUNT_MANAGER = role("2c8d85ba-0064-4269-ba32-406e7535b93d",
            "Bulwark Account Manager",
            "Bulwark built-in role (not an Azure role): create, read, update and delete accounts, without listing or "
                    + "regenerating their keys and without calling the services.",
            new Permission(List.of("Microsoft.CognitiveServices/*", "Microsoft.Authorization/*/read"),
                    List.of(Actions.ACCOUNTS_LIST_KEYS, Actions.ACCOUNTS_REGENERATE_KEY), List.of(), List.of()));

    /** Azure's control-plane reads of a Key Vault role, kept where Bulwark has the thing they name. */
    private static final List<String> KEY_VAULT_READS = List.of("Microsoft.Authorization/*/read", "Microsoft.KeyVault/vaults/*/read");

    /** Every data action on the vault: secrets and keys, including purge. Azure's Key Vault Administrator. */
    public static final RoleDefinition KEY_VAULT_ADMINISTRATOR = role("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator",
            "Perform all data plane operations on a key vault and all objects in it, including certificates, keys, and secrets. "
                    + "Cannot manage key vault resources or manage role assignments.",
            new Permission(KEY_VAULT_READS, List.of(), List.of("Microsoft.KeyVault/vaults/*"), List.of()));

    /** Read secret values and metadata. What an application that fetches its AI key needs. */
    public static final RoleDefinition KEY_VAULT_SECRETS_USER = role("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User",
            "Read secret contents.",
            new Permission(List.of(), List.of(),
                    List.of("Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"),
                    List.of()));

    /** Every action on secrets, purge included. */
    public static final RoleDefinition KEY_VAULT_SECRETS_OFFICER = role("b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "Key Vault Secrets Officer",
            "Perform any action on the secrets of a key vault, except manage permissions.",
            new Permission(KEY_VAULT_READS, List.of(), List.of("Microsoft.KeyVault/vaults/secrets/*"), List.of()));

    /** Use keys (read, wrap, unwrap, encrypt, decrypt, sign, verify); no create, delete or rotate. */
    public static final RoleDefinition KEY_VAULT_CRYPTO_USER = role("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User",
            "Perform cryptographic operations using keys.",
            new Permission(List.of(), List.of(),
                    List.of("Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action",
                            "Microsoft.KeyVault/vaults/keys/backup/action", "Microsoft.KeyVault/vaults/keys/encrypt/action",
                            "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action",
                            "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action",
                            "Microsoft.KeyVault/vaults/keys/verify/action"),
                    List.of()));

    /** Read keys and wrap/unwrap with them: what a service needs of a customer-managed key. */
    public static final RoleDefinition KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = role("e147488a-f6f5-4113-8e2d-b22465e65bf6",
            "Key Vault Crypto Service Encryption User",
            "Read metadata of keys and perform wrap/unwrap operations.",
            new Permission(List.of(), List.of(),
                    List.of("Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action",
                            "Microsoft.KeyVault/vaults/keys/unwrap/action"),
                    List.of()));

    /** Every action on keys, purge and rotation included. */
    public static final RoleDefinition KEY_VAULT_CRYPTO_OFFICER = role("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", "Key Vault Crypto Officer",
            "Perform any action on the keys of a key vault, except manage permissions.",
            new Permission(KEY_VAULT_READS, List.of(), List.of("Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"),
                    List.of()));

    /** Metadata of secrets and keys; never a secret's value. */
    public static final RoleDefinition KEY_VAULT_READER = role("21090545-7ca7-4776-b22c-e363652d74d2", "Key Vault Reader",
            "Read metadata of key vaults and its certificates, keys, and secrets. Cannot read sensitive values such as secret contents "
                    + "or key material.",
            new Permission(KEY_VAULT_READS, List.of(),
                    List.of("Microsoft.KeyVault/vaults/*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"), List.of()));

    private static final List<RoleDefinition> ALL = List.of(OWNER, CONTRIBUTOR, READER, COGNITIVE_SERVICES_USER,
            COGNITIVE_SERVICES_CONTRIBUTOR, COGNITIVE_SERVICES_OPENAI_USER, COGNITIVE_SERVICES_OPENAI_CONTRIBUTOR,
            COGNITIVE_SERVICES_DATA_READER, CUSTOMER_LOCKBOX_APPROVER, BULWARK_ACCOUNT_MANAGER,
            KEY_VAULT_ADMINISTRATOR, KEY_VAULT_SECRETS_USER, KEY_VAULT_SECRETS_OFFICER, KEY_VAULT_CRYPTO_USER, KEY_VAULT_CRYPTO_OFFICER,
            KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, KEY_VAULT_READER);
    private static final Map<String, RoleDefinition> BY_ID = ALL.stream().collect(Collectors.toUnmodifiableMap(RoleDefinition::id, Function.identity()));
    private static final Map<String, RoleDefinition> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(r -> nameKey(r.roleName()), Function.identity()));

    public static List<RoleDefinition> all() {
        return ALL;
    }

    /** By lower-case GUID. */
    public static Optional<RoleDefinition> byId(String id) {
        return Optional.ofNullable(id == null ? null : BY_ID.get(id.toLowerCase(Locale.ROOT)));
    }

    /** By role name, ignoring case. */
    public static Optional<RoleDefinition> byName(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(nameKey(name)));
    }

    /** Role names are unique ignoring case, built-in and custom together. */
    static String nameKey(String roleName) {
        return roleName.toLowerCase(Locale.ROOT);
    }

    private static RoleDefinition role(String id, String name, String description, Permission permissions) {
        return new RoleDefinition(id, name, description, RoleType.BUILT_IN, permissions, ROOT);
    }
}
