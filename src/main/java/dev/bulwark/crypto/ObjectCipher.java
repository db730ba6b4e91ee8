package dev.bulwark.crypto;

import java.util.Optional;

/**
 * Envelope encryption for every stored object. Each object gets its own data key. Without a
 * customer key there is one layer, whose data key is wrapped by the service key; with one there are
 * two: an inner layer whose data key is wrapped by the customer's key, inside an outer layer under
 * the service key. The envelope header names every key (source, name, version) it needs and is
 * itself authenticated, together with the {@link ObjectIdentity}.
 *
 * <p>May block (unwrapping can reach the vault or an HSM): call from worker threads.
 */
public interface ObjectCipher {

    byte[] seal(byte[] plaintext, ObjectIdentity object, Optional<CustomerKey> customerKey);

    /**
     * @throws KeyAccessDeniedException when a key the envelope needs is not usable now
     * @throws CryptoException          when the envelope was tampered with or belongs to another object
     */
    byte[] open(byte[] envelope, ObjectIdentity object);

    /**
     * Re-wraps the envelope's data keys under the newest version of each key (and under
     * {@code customerKey}'s layer rules); the data itself is not re-encrypted. Returns the input
     * unchanged (same array) when nothing needed re-wrapping.
     */
    byte[] rewrap(byte[] envelope, ObjectIdentity object, Optional<CustomerKey> customerKey);

    /** The keys an envelope depends on, read from its header without decrypting anything. */
    java.util.List<KeyReference> keysOf(byte[] envelope);
}
