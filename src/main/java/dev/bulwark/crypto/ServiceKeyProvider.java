package dev.bulwark.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The service-managed key-encryption keys: a keyset of versions {@code v<oldest>..v<primary>}, each
 * derived from the {@link MasterKey} for purpose {@code bulwark/kek/service/v<n>}. The primary (the
 * newest) wraps new data keys; older versions only unwrap, until an operator raises the oldest kept
 * version after every envelope was re-wrapped (Tink's primary + decrypt-only keys). One key name,
 * {@value #KEY_NAME}.
 */
public final class ServiceKeyProvider implements KeyProvider {
    public static final String KEY_NAME = "service";
    private static final String PURPOSE_PREFIX = "bulwark/kek/service/v";
    private static final int MAX_VERSIONS = 1000;

    private final KeyReference primary;
    private final Map<KeyReference, Aes256Gcm> keys;

    private ServiceKeyProvider(KeyReference primary, Map<KeyReference, Aes256Gcm> keys) {
        this.primary = primary;
        this.keys = Map.copyOf(keys);
    }

    /** Versions 1..{@code primaryVersion}, the last one primary. */
    public static ServiceKeyProvider fromMasterKey(MasterKey master, int primaryVersion) {
        return fromMasterKey(master, 1, primaryVersion);
    }

    /** Versions {@code oldestVersion..primaryVersion}; versions below the oldest no longer unwrap. */
    public static ServiceKeyProvider fromMasterKey(MasterKey master, int oldestVersion, int primaryVersion) {
        if (master == null || oldestVersion < 1 || primaryVersion < oldestVersion || primaryVersion - oldestVersion >= MAX_VERSIONS) {
            throw new IllegalArgumentException("service key versions must satisfy 1 <= oldest <= primary, at most " + MAX_VERSIONS + " kept");
        }
        Map<KeyReference, Aes256Gcm> keys = new LinkedHashMap<>();
        for (int v = oldestVersion; v <= primaryVersion; v++) {
            byte[] k = master.derive(PURPOSE_PREFIX + v);
            try {
                keys.put(reference(v), Aes256Gcm.of(k));
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
        return new ServiceKeyProvider(reference(primaryVersion), keys);
    }

    @Override
    public KeySource source() {
        return KeySource.SERVICE;
    }

    @Override
    public KeyReference current(String keyName) {
        requireName(keyName);
        return primary;
    }

    @Override
    public KeyReference resolve(String keyName, String version) {
        requireName(keyName);
        KeyReference ref = new KeyReference(KeySource.SERVICE, KEY_NAME, version);
        if (!keys.containsKey(ref)) {
            throw new CryptoException("cannot decrypt");
        }
        return ref;
    }

    @Override
    public byte[] wrap(KeyReference key, byte[] dataKey, byte[] associatedData) {
        if (!primary.equals(key)) {
            // New wraps only under the primary: an old version is decrypt-only.
            throw new IllegalArgumentException("service key " + key + " is not the primary (" + primary + ")");
        }
        return keys.get(key).encrypt(dataKey, bind(key, associatedData));
    }

    @Override
    public byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] associatedData) {
        Aes256Gcm kek = key == null ? null : keys.get(key);
        if (kek == null) {
            throw new CryptoException("cannot decrypt");
        }
        return kek.decrypt(wrappedKey, bind(key, associatedData));
    }

    /** The key reference is bound too, so a wrap made under one version never unwraps as another. */
    private static byte[] bind(KeyReference key, byte[] associatedData) {
        byte[] ref = key.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[1 + ref.length + associatedData.length];
        out[0] = (byte) ref.length; // "service:service/" + a version of at most 127: under 256
        System.arraycopy(ref, 0, out, 1, ref.length);
        System.arraycopy(associatedData, 0, out, 1 + ref.length, associatedData.length);
        return out;
    }

    private static void requireName(String keyName) {
        if (!KEY_NAME.equals(keyName)) {
            throw new CryptoException("cannot decrypt");
        }
    }

    private static KeyReference reference(int version) {
        return new KeyReference(KeySource.SERVICE, KEY_NAME, "v" + version);
    }

    @Override
    public String toString() {
        return "ServiceKeyProvider[primary=" + primary + ", versions=" + keys.size() + "]";
    }
}
