package dev.bulwark.vault;

import java.util.Map;
import java.util.Optional;

/**
 * One stored version of a secret or key: everything but the value. The value exists only as
 * {@code sealed}, an {@code ObjectCipher} envelope; {@code toString} never shows it.
 *
 * @param publicKey a key's X.509 SubjectPublicKeyInfo (RSA), empty for secrets and symmetric keys
 * @param keyType   a key's {@code kty} ({@code RSA}, {@code oct}); empty for secrets
 */
public record VaultVersion(VaultItemKind kind, String name, String version, byte[] sealed, Optional<String> contentType,
                           Optional<String> keyType, int keySize, Optional<byte[]> publicKey, VaultAttributes attributes,
                           Map<String, String> tags) {
    public VaultVersion {
        tags = Map.copyOf(tags);
    }

    VaultVersion withAttributes(VaultAttributes a, Map<String, String> newTags, Optional<String> newContentType) {
        return new VaultVersion(kind, name, version, sealed, newContentType, keyType, keySize, publicKey, a, newTags);
    }

    @Override
    public String toString() {
        return kind.noun() + " " + name + "/" + version;
    }
}
