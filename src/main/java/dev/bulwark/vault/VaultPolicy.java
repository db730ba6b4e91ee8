package dev.bulwark.vault;

/**
 * How deletion works, validated at startup: soft-deleted items are kept {@code retentionDays}
 * (7-90, Key Vault's range; default 90) and then purged; with {@code purgeProtection} an explicit
 * purge is refused until then, as Key Vault does.
 */
public record VaultPolicy(int retentionDays, boolean purgeProtection) {
    public static final int MIN_RETENTION_DAYS = 7;
    public static final int MAX_RETENTION_DAYS = 90;
    public static final VaultPolicy DEFAULT = new VaultPolicy(MAX_RETENTION_DAYS, false);

    public VaultPolicy {
        if (retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("vault soft-delete retention must be " + MIN_RETENTION_DAYS + "-" + MAX_RETENTION_DAYS
                    + " days, got " + retentionDays);
        }
    }

    /** Key Vault's recoveryLevel for this policy. */
    public String recoveryLevel() {
        return purgeProtection ? "Recoverable" : "Recoverable+Purgeable";
    }
}
