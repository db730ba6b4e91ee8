package dev.bulwark.vault;

import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ObjectIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Secret values. A value is stored only as an {@link ObjectCipher} envelope bound to
 * {@code ("", "vault-secret", "<name>/<version>")}, so a sealed value copied to another secret or
 * version does not open. Reading a value needs the version enabled, past nbf and before exp
 * (Key Vault documents the same; a refusal is 403 Forbidden). Blocking: database, cipher.
 */
public final class VaultSecrets {
    /** Key Vault's limit on a secret value. */
    public static final int MAX_VALUE_BYTES = 25 * 1024;
    static final int MAX_CONTENT_TYPE_CHARS = 255;

    private final VaultItems items;
    private final ObjectCipher cipher;

    public VaultSecrets(VaultItems items, ObjectCipher cipher) {
        this.items = items;
        this.cipher = cipher;
    }

    /** A secret version with its value. {@code toString} never shows the value. */
    public record Secret(VaultVersion version, String value) {
        @Override
        public String toString() {
            return version.toString();
        }
    }

    /** What setting a secret takes besides its value. */
    public record NewSecret(Optional<String> contentType, boolean enabled, Optional<Instant> notBefore, Optional<Instant> expires,
                            Map<String, String> tags) {
        public static NewSecret plain() {
            return new NewSecret(Optional.empty(), true, Optional.empty(), Optional.empty(), Map.of());
        }
    }

    /** Stores a new version and makes it current. */
    public Secret set(String name, String value, NewSecret spec) {
        VaultName.require(name);
        if (value == null) {
            throw VaultException.badParameter("The secret value is required.");
        }
        if (!dev.bulwark.store.StorableText.wellFormed(value)) {
            // UTF-8 cannot carry a lone surrogate: it would be stored as '?' and read back changed.
            throw VaultException.badParameter("The secret value is not valid Unicode (it holds an unpaired surrogate).");
        }
        byte[] plaintext = value.getBytes(StandardCharsets.UTF_8);
        if (plaintext.length > MAX_VALUE_BYTES) {
            throw VaultException.badParameter("The secret value is larger than " + MAX_VALUE_BYTES + " bytes.");
        }
        if (spec.contentType().isPresent() && spec.contentType().get().length() > MAX_CONTENT_TYPE_CHARS) {
            throw VaultException.badParameter("contentType is longer than " + MAX_CONTENT_TYPE_CHARS + " characters.");
        }
        VaultItems.checkWindow(spec.notBefore(), spec.expires());
        VaultItems.checkTags(spec.tags());
        VaultVersion v = items.addVersion(VaultItemKind.SECRET, name, (canonical, version, now) -> new VaultVersion(VaultItemKind.SECRET,
                canonical, version, cipher.seal(plaintext, identity(canonical, version), Optional.empty()), spec.contentType(),
                Optional.empty(), 0, Optional.empty(), new VaultAttributes(spec.enabled(), spec.notBefore(), spec.expires(), now, now),
                spec.tags()));
        return new Secret(v, value);
    }

    /** Calls {@code listener} with the secret's name whenever a secret gets a new version, is changed, deleted, recovered or purged. */
    public void onSecretStateChanged(java.util.function.Consumer<String> listener) {
        items.onChange(v -> {
            if (v.kind() == VaultItemKind.SECRET) {
                listener.accept(v.name());
            }
        });
    }

    /** The value of the named version (the current one when empty), if it is usable now. */
    public Secret get(String name, Optional<String> version) {
        VaultVersion v = items.get(VaultItemKind.SECRET, name, version);
        String refusal = v.attributes().refusalAt(items.now());
        if (refusal != null) {
            String inner = switch (refusal) {
                case "disabled" -> "SecretDisabled";
                case "expired" -> "SecretExpired";
                default -> "SecretNotYetValid";
            };
            throw new VaultException(403, "Forbidden", "Operation get is not allowed on a " + refusal + " secret.", inner);
        }
        byte[] plaintext = cipher.open(v.sealed(), identity(v.name(), v.version()));
        return new Secret(v, new String(plaintext, StandardCharsets.UTF_8));
    }

    /**
     * A {@code vault:} secret reference's value (deployment upstream credentials): the same checks
     * as {@link #get}, failures as a {@link dev.bulwark.config.ConfigException} that names the
     * secret but never a value.
     */
    public dev.bulwark.config.SecretValue readForReference(String name, Optional<String> version) {
        String ref = "vault:" + name + version.map(v -> "/" + v).orElse("");
        try {
            return new dev.bulwark.config.SecretValue(get(name, version).value(), ref);
        } catch (VaultException e) {
            throw new dev.bulwark.config.ConfigException(ref + " cannot be read: " + e.getMessage());
        } catch (dev.bulwark.crypto.CryptoException e) {
            throw new dev.bulwark.config.ConfigException(ref + " cannot be decrypted");
        }
    }

    static ObjectIdentity identity(String name, String version) {
        return new ObjectIdentity("", VaultItemKind.SECRET.objectKind(), name + "/" + version);
    }
}
