package dev.bulwark.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer key store held in memory, for tests and benchmarks: named keys with versions "1", "2",
 * ..., each an AES-256-GCM key; access to a key can be denied and restored (what revoking a grant
 * does in the vault or an HSM); unwraps are counted so tests can see the data key cache at work.
 */
public final class InMemoryKeyProvider implements KeyProvider {
    private final KeySource source;
    private final Map<String, List<Aes256Gcm>> keys = new ConcurrentHashMap<>();
    private final Map<String, Boolean> denied = new ConcurrentHashMap<>();
    private final AtomicInteger unwraps = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();

    public InMemoryKeyProvider(KeySource source) {
        this.source = source;
    }

    /** Adds a new version of {@code name} (creating the key) and returns it; it becomes current. */
    public synchronized KeyReference rotate(String name) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        List<Aes256Gcm> versions = keys.computeIfAbsent(name, n -> new ArrayList<>());
        versions.add(Aes256Gcm.of(k));
        return new KeyReference(source, name, Integer.toString(versions.size()));
    }

    public void deny(String name) {
        denied.put(name, true);
    }

    public void allow(String name) {
        denied.remove(name);
    }

    public int unwrapCount() {
        return unwraps.get();
    }

    @Override
    public KeySource source() {
        return source;
    }

    @Override
    public synchronized KeyReference current(String keyName) {
        List<Aes256Gcm> versions = keys.get(keyName);
        if (versions == null) {
            throw new CryptoException("no key " + keyName);
        }
        KeyReference ref = new KeyReference(source, keyName, Integer.toString(versions.size()));
        checkAccess(ref);
        return ref;
    }

    @Override
    public KeyReference resolve(String keyName, String version) {
        KeyReference ref = new KeyReference(source, keyName, version);
        key(ref);
        checkAccess(ref);
        return ref;
    }

    @Override
    public byte[] wrap(KeyReference key, byte[] dataKey, byte[] associatedData) {
        checkAccess(key);
        return key(key).encrypt(dataKey, associatedData);
    }

    @Override
    public byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] associatedData) {
        unwraps.incrementAndGet();
        checkAccess(key);
        return key(key).decrypt(wrappedKey, associatedData);
    }

    private void checkAccess(KeyReference ref) {
        if (denied.containsKey(ref.name())) {
            throw new KeyAccessDeniedException(ref, "disabled");
        }
    }

    private synchronized Aes256Gcm key(KeyReference ref) {
        List<Aes256Gcm> versions = keys.get(ref.name());
        int v;
        try {
            v = Integer.parseInt(ref.version());
        } catch (NumberFormatException e) {
            throw new CryptoException("cannot decrypt");
        }
        if (versions == null || v < 1 || v > versions.size() || ref.source() != source) {
            throw new CryptoException("cannot decrypt");
        }
        return versions.get(v - 1);
    }
}
