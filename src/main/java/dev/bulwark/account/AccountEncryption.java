package dev.bulwark.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.crypto.CustomerKey;
import dev.bulwark.crypto.KeySource;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An account's {@code properties.encryption}, with ARM's names. {@code Microsoft.CognitiveServices}
 * means service-managed keys only (one layer); {@code Microsoft.KeyVault} names a customer-managed
 * key that adds a second, inner layer to everything the account stores. Where the key lives is told
 * by {@code keyVaultUri}: an {@code https://} URL is Bulwark's built-in vault (the only vault it can
 * reach), a {@code pkcs11:} URI (RFC 7512) is the configured HSM token.
 *
 * @param keyVersion null to follow the key's newest version (new writes use it; {@code bulwark
 *                   account rewrap} moves old data keys to it)
 */
public record AccountEncryption(boolean customerManaged, String keyName, String keyVersion, String keyVaultUri,
                                String identityClientId) {
    public static final String SERVICE_MANAGED = "Microsoft.CognitiveServices";
    public static final String CUSTOMER_MANAGED = "Microsoft.KeyVault";
    public static final AccountEncryption SERVICE = new AccountEncryption(false, null, null, null, null);

    /** Key Vault's key names; versions also allow '.' and '_' so HSM versions fit. */
    private static final Pattern KEY_NAME = Pattern.compile("[0-9A-Za-z-]{1,127}");
    private static final Pattern KEY_VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._-]{0,126}");
    private static final Pattern CLIENT_ID = Pattern.compile("[0-9A-Za-z._-]{1,128}");
    private static final int MAX_URI = 512;
    private static final Set<String> FIELDS = Set.of("keySource", "keyVaultProperties");
    private static final Set<String> KEY_VAULT_FIELDS = Set.of("keyName", "keyVersion", "keyVaultUri", "identityClientId");

    /** The customer key this names, if any: where it lives, its name, and its pinned version. */
    public Optional<CustomerKey> customerKey() {
        if (!customerManaged) {
            return Optional.empty();
        }
        KeySource source = keyVaultUri.startsWith("pkcs11:") ? KeySource.PKCS11 : KeySource.VAULT;
        return Optional.of(new CustomerKey(source, keyName, Optional.ofNullable(keyVersion)));
    }

    /** Parses and checks the shape; whether the key exists and is usable is checked by the service. */
    public static AccountEncryption fromJson(JsonNode n) {
        if (n == null || n.isNull()) {
            return SERVICE;
        }
        if (!n.isObject()) {
            throw invalid("properties.encryption must be an object");
        }
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw invalid("unknown field 'properties.encryption." + f + "'");
            }
        }
        String source = n.hasNonNull("keySource") && n.get("keySource").isTextual() ? n.get("keySource").asText() : null;
        if (SERVICE_MANAGED.equals(source)) {
            if (n.hasNonNull("keyVaultProperties") && !n.get("keyVaultProperties").isEmpty()) {
                throw invalid("properties.encryption.keyVaultProperties must be absent when keySource is " + SERVICE_MANAGED);
            }
            return SERVICE;
        }
        if (!CUSTOMER_MANAGED.equals(source)) {
            throw invalid("properties.encryption.keySource must be '" + SERVICE_MANAGED + "' or '" + CUSTOMER_MANAGED + "'");
        }
        JsonNode kv = n.get("keyVaultProperties");
        if (kv == null || !kv.isObject()) {
            throw invalid("properties.encryption.keyVaultProperties (keyName, keyVaultUri) is required when keySource is "
                    + CUSTOMER_MANAGED);
        }
        for (var it = kv.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!KEY_VAULT_FIELDS.contains(f)) {
                throw invalid("unknown field 'properties.encryption.keyVaultProperties." + f + "'");
            }
        }
        String keyName = text(kv, "keyName", true);
        if (!KEY_NAME.matcher(keyName).matches()) {
            throw invalid("properties.encryption.keyVaultProperties.keyName must be 1-127 letters, digits or '-'");
        }
        String version = text(kv, "keyVersion", false);
        if (version != null && version.isEmpty()) {
            version = null; // Azure: an empty version means "follow the newest"
        }
        if (version != null && !KEY_VERSION.matcher(version).matches()) {
            throw invalid("properties.encryption.keyVaultProperties.keyVersion must be 1-127 letters, digits, '.', '_' or '-'");
        }
        String uri = text(kv, "keyVaultUri", true);
        if (uri.length() > MAX_URI || !(uri.startsWith("https://") || uri.startsWith("pkcs11:")) || hasControlOrSpace(uri)) {
            throw invalid("properties.encryption.keyVaultProperties.keyVaultUri must be the built-in vault's https:// URL "
                    + "or a pkcs11: URI naming the configured HSM token");
        }
        String clientId = text(kv, "identityClientId", false);
        if (clientId != null && !clientId.isEmpty() && !CLIENT_ID.matcher(clientId).matches()) {
            throw invalid("properties.encryption.keyVaultProperties.identityClientId must be 1-128 letters, digits, '.', '_' or '-'");
        }
        return new AccountEncryption(true, keyName, version, uri, clientId == null || clientId.isEmpty() ? null : clientId);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("keySource", customerManaged ? CUSTOMER_MANAGED : SERVICE_MANAGED);
        if (customerManaged) {
            ObjectNode kv = o.putObject("keyVaultProperties");
            kv.put("keyName", keyName);
            kv.put("keyVersion", keyVersion == null ? "" : keyVersion);
            kv.put("keyVaultUri", keyVaultUri);
            if (identityClientId != null) {
                kv.put("identityClientId", identityClientId);
            }
        }
        return o;
    }

    private static String text(JsonNode o, String field, boolean required) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw invalid("properties.encryption.keyVaultProperties." + field + " is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw invalid("properties.encryption.keyVaultProperties." + field + " must be a string");
        }
        return v.asText();
    }

    private static boolean hasControlOrSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f || c > 0x7e) {
                return true;
            }
        }
        return false;
    }

    private static AccountValidationException invalid(String message) {
        return new AccountValidationException("InvalidEncryption", message);
    }
}
