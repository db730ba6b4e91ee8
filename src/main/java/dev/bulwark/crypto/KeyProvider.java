package dev.bulwark.crypto;

/**
 * Wraps and unwraps data keys with key-encryption keys of one {@link KeySource}. Implementations
 * never hand out the key-encryption key itself (an HSM key cannot even be extracted). Every method
 * may block (database, HSM): never call it on an event-loop thread.
 *
 * <p>A key that is disabled, deleted, expired, not yet valid, or whose grant to Bulwark was removed
 * raises {@link KeyAccessDeniedException}; a wrapped key that does not unwrap (tampered, wrong key,
 * wrong associated data) raises {@link CryptoException}.
 */
public interface KeyProvider {

    KeySource source();

    /** The version new writes should use for the named key: the newest enabled one. */
    KeyReference current(String keyName);

    /** The version named, checked to exist and be usable right now. */
    KeyReference resolve(String keyName, String version);

    byte[] wrap(KeyReference key, byte[] dataKey, byte[] associatedData);

    byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] associatedData);
}
