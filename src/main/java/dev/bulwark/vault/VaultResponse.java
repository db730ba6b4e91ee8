package dev.bulwark.vault;

/**
 * A vault answer: status, JSON body (empty for 204), and for the audit record the Key Vault
 * operation name ({@code SecretGet}, ...) and the item it concerned. Never logged whole: a body may hold a secret value.
 */
public record VaultResponse(int status, String body, String operation, String resource) {
    @Override
    public String toString() {
        return status + " " + operation + " " + resource;
    }
}
