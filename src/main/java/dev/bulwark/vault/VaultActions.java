package dev.bulwark.vault;

/** Azure's Key Vault data actions, one per operation; role definitions grant them at {@code /vault} or narrower. */
public final class VaultActions {
    private static final String SECRETS = "Microsoft.KeyVault/vaults/secrets/";
    private static final String KEYS = "Microsoft.KeyVault/vaults/keys/";
    public static final String SECRET_GET = SECRETS + "getSecret/action";
    public static final String SECRET_READ_METADATA = SECRETS + "readMetadata/action";
    public static final String SECRET_SET = SECRETS + "setSecret/action";
    public static final String SECRET_UPDATE = SECRETS + "update/action";
    public static final String SECRET_DELETE = SECRETS + "delete";
    public static final String SECRET_RECOVER = SECRETS + "recover/action";
    public static final String SECRET_PURGE = SECRETS + "purge/action";
    public static final String KEY_READ = KEYS + "read";
    public static final String KEY_CREATE = KEYS + "create/action";
    public static final String KEY_UPDATE = KEYS + "update/action";
    public static final String KEY_DELETE = KEYS + "delete";
    public static final String KEY_RECOVER = KEYS + "recover/action";
    public static final String KEY_PURGE = KEYS + "purge/action";
    public static final String KEY_ROTATE = KEYS + "rotate/action";
    public static final String KEY_WRAP = KEYS + "wrap/action";
    public static final String KEY_UNWRAP = KEYS + "unwrap/action";

    private VaultActions() {
    }
}
