package dev.bulwark.identity.rbac;

import java.util.List;

/**
 * Every action Bulwark authorises, by the names roles use. Management operations are
 * {@code actions}; data-plane calls are {@code dataActions}. Azure's own names wherever Azure has
 * one (from its resource-provider operations and built-in role definitions); the few that are
 * Bulwark's own say so, under {@code Bulwark/...} or, for data-plane calls Azure does not name,
 * under {@code Microsoft.CognitiveServices/accounts/...} so that Azure-style wildcards
 * ({@code Microsoft.CognitiveServices/*}) cover them too.
 */
public final class Actions {
    private Actions() {
    }

    // ---- management: accounts (Azure's names) ----
    public static final String ACCOUNTS_READ = "Microsoft.CognitiveServices/accounts/read";
    public static final String ACCOUNTS_WRITE = "Microsoft.CognitiveServices/accounts/write";
    public static final String ACCOUNTS_DELETE = "Microsoft.CognitiveServices/accounts/delete";
    /** Reveals both keys: its own action, so a role can manage accounts without seeing keys. */
    public static final String ACCOUNTS_LIST_KEYS = "Microsoft.CognitiveServices/accounts/listKeys/action";
    /** Also reveals the keys (the answer carries the new pair), so roles that must not see keys exclude it too. */
    public static final String ACCOUNTS_REGENERATE_KEY = "Microsoft.CognitiveServices/accounts/regenerateKey/action";

    // ---- management: model deployments (Azure's names) ----
    public static final String DEPLOYMENTS_READ = "Microsoft.CognitiveServices/accounts/deployments/read";
    public static final String DEPLOYMENTS_WRITE = "Microsoft.CognitiveServices/accounts/deployments/write";
    public static final String DEPLOYMENTS_DELETE = "Microsoft.CognitiveServices/accounts/deployments/delete";

    // ---- management: access control (Azure's names) ----
    public static final String ROLE_DEFINITIONS_READ = "Microsoft.Authorization/roleDefinitions/read";
    public static final String ROLE_DEFINITIONS_WRITE = "Microsoft.Authorization/roleDefinitions/write";
    public static final String ROLE_DEFINITIONS_DELETE = "Microsoft.Authorization/roleDefinitions/delete";
    public static final String ROLE_ASSIGNMENTS_READ = "Microsoft.Authorization/roleAssignments/read";
    public static final String ROLE_ASSIGNMENTS_WRITE = "Microsoft.Authorization/roleAssignments/write";
    public static final String ROLE_ASSIGNMENTS_DELETE = "Microsoft.Authorization/roleAssignments/delete";

    // ---- management: customer lockbox (Azure's names, from "Azure Customer Lockbox Approver for Subscription") ----
    public static final String LOCKBOX_REQUESTS_READ = "Microsoft.CustomerLockbox/requests/read";
    public static final String LOCKBOX_REQUESTS_DECIDE = "Microsoft.CustomerLockbox/requests/UpdateApproval/action";

    // ---- management: Bulwark's own ----
    public static final String AUDIT_READ = "Bulwark/audit/read";
    public static final String METRICS_READ = "Bulwark/metrics/read";
    /** Model-deployment usage ({@code GET /usage}); Reader, Contributor and Owner have it through {@code *}/read and {@code *}. */
    public static final String USAGE_READ = "Bulwark/usage/read";
    /** Workload identities (the managed-identity analogue). */
    public static final String IDENTITIES_READ = "Bulwark/identities/read";
    public static final String IDENTITIES_WRITE = "Bulwark/identities/write";
    public static final String IDENTITIES_DELETE = "Bulwark/identities/delete";

    // ---- data actions: Language (Azure's names) ----
    /** {@code POST /language/:analyze-text}. */
    public static final String LANGUAGE_ANALYZE_TEXT = "Microsoft.CognitiveServices/accounts/Language/analyze-text/action";
    /** {@code POST /language/analyze-text/jobs} (asynchronous jobs). */
    public static final String LANGUAGE_ANALYZE_TEXT_JOBS = "Microsoft.CognitiveServices/accounts/Language/analyze-text/jobs/action";

    // ---- data actions: Azure OpenAI (Azure's names) ----
    public static final String OPENAI_CHAT_COMPLETIONS = "Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action";
    public static final String OPENAI_COMPLETIONS = "Microsoft.CognitiveServices/accounts/OpenAI/deployments/completions/action";
    public static final String OPENAI_EMBEDDINGS = "Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action";
    public static final String OPENAI_MODELS_READ = "Microsoft.CognitiveServices/accounts/OpenAI/models/read";
    public static final String OPENAI_DEPLOYMENTS_READ = "Microsoft.CognitiveServices/accounts/OpenAI/deployments/read";

    // ---- data actions: Bulwark's own ----
    /** {@code POST /sts/v1.0/issueToken}: Azure names no data action for it; only key callers reach it. */
    public static final String TOKEN_ISSUE = "Microsoft.CognitiveServices/accounts/issueToken/action";

    /** Every management action above. */
    public static final List<String> MANAGEMENT = List.of(ACCOUNTS_READ, ACCOUNTS_WRITE, ACCOUNTS_DELETE, ACCOUNTS_LIST_KEYS,
            ACCOUNTS_REGENERATE_KEY, DEPLOYMENTS_READ, DEPLOYMENTS_WRITE, DEPLOYMENTS_DELETE, ROLE_DEFINITIONS_READ, ROLE_DEFINITIONS_WRITE, ROLE_DEFINITIONS_DELETE,
            ROLE_ASSIGNMENTS_READ, ROLE_ASSIGNMENTS_WRITE, ROLE_ASSIGNMENTS_DELETE, LOCKBOX_REQUESTS_READ, LOCKBOX_REQUESTS_DECIDE,
            AUDIT_READ, METRICS_READ, USAGE_READ, IDENTITIES_READ, IDENTITIES_WRITE, IDENTITIES_DELETE);

    /** Every data action above. */
    public static final List<String> DATA = List.of(LANGUAGE_ANALYZE_TEXT, LANGUAGE_ANALYZE_TEXT_JOBS, OPENAI_CHAT_COMPLETIONS,
            OPENAI_COMPLETIONS, OPENAI_EMBEDDINGS, OPENAI_MODELS_READ, OPENAI_DEPLOYMENTS_READ, TOKEN_ISSUE);
}
