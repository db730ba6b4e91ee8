package dev.bulwark.vault;

/**
 * A vault operation refused, in Key Vault's error shape: the HTTP status, Key Vault's error code
 * ({@code SecretNotFound}, {@code BadParameter}, {@code Forbidden}, ...) and, for RBAC refusals, the
 * inner error code ({@code ForbiddenByRbac}). Messages name items, never values.
 */
public final class VaultException extends RuntimeException {
    private final int status;
    private final String code;
    private final String innerCode;

    public VaultException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public VaultException(int status, String code, String message, String innerCode) {
        super(message);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The {@code innererror.code}, or null. */
    public String innerCode() {
        return innerCode;
    }

    static VaultException badParameter(String message) {
        return new VaultException(400, "BadParameter", message);
    }

    static VaultException notFound(VaultItemKind kind, String name) {
        return new VaultException(404, kind.notFoundCode(), "A " + kind.noun() + " with (name/id) " + name + " was not found in this key vault.");
    }

    static VaultException versionNotFound(VaultItemKind kind, String name, String version) {
        return new VaultException(404, kind.notFoundCode(), "A " + kind.noun() + " with (name/id) " + name + "/" + version
                + " was not found in this key vault.");
    }
}
