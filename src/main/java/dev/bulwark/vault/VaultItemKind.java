package dev.bulwark.vault;

/** What the vault stores: secrets and keys. Each kind has its own names, versions and deleted items. */
public enum VaultItemKind {
    SECRET("secret", "secrets", "deletedsecrets", "SecretNotFound", "vault-secret"),
    KEY("key", "keys", "deletedkeys", "KeyNotFound", "vault-key");

    private final String column;
    private final String collection;
    private final String deletedCollection;
    private final String notFoundCode;
    private final String objectKind;

    VaultItemKind(String column, String collection, String deletedCollection, String notFoundCode, String objectKind) {
        this.column = column;
        this.collection = collection;
        this.deletedCollection = deletedCollection;
        this.notFoundCode = notFoundCode;
        this.objectKind = objectKind;
    }

    /** The value of {@code vault_items.kind}. */
    String column() {
        return column;
    }

    /** The URL path segment: {@code secrets}, {@code keys}. */
    public String collection() {
        return collection;
    }

    /** The URL path segment of soft-deleted items: {@code deletedsecrets}, {@code deletedkeys}. */
    public String deletedCollection() {
        return deletedCollection;
    }

    String notFoundCode() {
        return notFoundCode;
    }

    String noun() {
        return column;
    }

    /** The {@code ObjectIdentity} kind a version's sealed value is bound to. */
    String objectKind() {
        return objectKind;
    }
}
