package dev.bulwark.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Envelope encryption of stored objects (format in {@link EnvelopeHeader} and docs/encryption.md).
 * Every object gets a fresh random 256-bit data key per layer; each is wrapped by its layer's
 * key-encryption key, bound to the object and the layer's position. The data is encrypted once,
 * with AES-256-GCM under a content key derived (HKDF) from all layers' data keys together: reading
 * needs every layer's key, so revoking the customer's key makes the data unreadable, while the data
 * is encrypted in one pass whatever the number of layers.
 *
 * <p>The outer layer's provider is any {@link KeyProvider} for {@code SERVICE} or {@code PKCS11};
 * this class never depends on a concrete provider.
 */
public final class EnvelopeCipher implements ObjectCipher {
    private static final int DATA_KEY_BYTES = 32;
    private static final String CONTENT_PURPOSE = "bulwark/envelope/v1/content/";

    private final KeyProviders providers;
    private final KeySource serviceSource;
    private final String serviceKeyName;
    private final DataKeyCache cache;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param serviceSource  where the outer (service) key lives: {@code SERVICE} or {@code PKCS11}
     * @param serviceKeyName its name in that provider ({@link ServiceKeyProvider#KEY_NAME} for the built-in one)
     */
    public EnvelopeCipher(KeyProviders providers, KeySource serviceSource, String serviceKeyName, DataKeyCache cache) {
        if (providers == null || cache == null || serviceKeyName == null) {
            throw new IllegalArgumentException("envelope cipher needs key providers, a service key and a data key cache");
        }
        if (!EnvelopeHeader.allowedAt(0, serviceSource)) {
            throw new IllegalArgumentException("the service key lives in the built-in keyring or a PKCS#11 token, not " + serviceSource);
        }
        providers.require(serviceSource); // fail at startup, not on the first write
        this.providers = providers;
        this.serviceSource = serviceSource;
        this.serviceKeyName = serviceKeyName;
        this.cache = cache;
    }

    /** The outer layer under the built-in {@link ServiceKeyProvider}. */
    public static EnvelopeCipher withServiceKey(KeyProviders providers, DataKeyCache cache) {
        return new EnvelopeCipher(providers, KeySource.SERVICE, ServiceKeyProvider.KEY_NAME, cache);
    }

    @Override
    public byte[] seal(byte[] plaintext, ObjectIdentity object, Optional<CustomerKey> customerKey) {
        List<KeyReference> targets = targets(customerKey);
        int n = targets.size();
        byte[] identity = object.associatedData();
        byte[][] dataKeys = new byte[n][];
        try {
            List<EnvelopeHeader.Layer> layers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                KeyReference ref = targets.get(i);
                dataKeys[i] = new byte[DATA_KEY_BYTES];
                random.nextBytes(dataKeys[i]);
                byte[] wrapped = providers.require(ref.source()).wrap(ref, dataKeys[i], wrapBinding(i, n, identity));
                layers.add(new EnvelopeHeader.Layer(ref, wrapped));
            }
            EnvelopeHeader header = EnvelopeHeader.of(layers);
            byte[] body = content(dataKeys).encrypt(plaintext, concat(header.dataBinding(), identity));
            return concat(header.encode(), body);
        } finally {
            zero(dataKeys);
        }
    }

    @Override
    public byte[] open(byte[] envelope, ObjectIdentity object) {
        EnvelopeHeader header = EnvelopeHeader.parse(envelope);
        byte[] identity = object.associatedData();
        byte[][] dataKeys = unwrapAll(header, identity);
        try {
            byte[] body = Arrays.copyOfRange(envelope, header.length(), envelope.length);
            return content(dataKeys).decrypt(body, concat(header.dataBinding(), identity));
        } finally {
            zero(dataKeys);
        }
    }

    @Override
    public byte[] rewrap(byte[] envelope, ObjectIdentity object, Optional<CustomerKey> customerKey) {
        EnvelopeHeader header = EnvelopeHeader.parse(envelope);
        List<KeyReference> targets = targets(customerKey);
        List<EnvelopeHeader.Layer> layers = header.layers();
        if (!sameStructure(layers, targets)) {
            // Customer key turned on or off, or another key named: the content key changes, so the
            // data is decrypted and sealed anew.
            byte[] plaintext = open(envelope, object);
            try {
                return seal(plaintext, object, customerKey);
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
        boolean changed = false;
        for (int i = 0; i < layers.size(); i++) {
            changed |= !layers.get(i).key().equals(targets.get(i));
        }
        if (!changed) {
            return envelope;
        }
        byte[] identity = object.associatedData();
        int n = layers.size();
        List<EnvelopeHeader.Layer> rewrapped = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            EnvelopeHeader.Layer layer = layers.get(i);
            KeyReference target = targets.get(i);
            if (layer.key().equals(target)) {
                rewrapped.add(layer);
                continue;
            }
            byte[] binding = wrapBinding(i, n, identity);
            byte[] dataKey = unwrap(layer, binding);
            try {
                rewrapped.add(new EnvelopeHeader.Layer(target, providers.require(target.source()).wrap(target, dataKey, binding)));
            } finally {
                Arrays.fill(dataKey, (byte) 0);
            }
        }
        byte[] newHeader = EnvelopeHeader.of(rewrapped).encode();
        byte[] out = new byte[newHeader.length + envelope.length - header.length()];
        System.arraycopy(newHeader, 0, out, 0, newHeader.length);
        System.arraycopy(envelope, header.length(), out, newHeader.length, envelope.length - header.length());
        return out;
    }

    @Override
    public List<KeyReference> keysOf(byte[] envelope) {
        return EnvelopeHeader.parse(envelope).layers().stream().map(EnvelopeHeader.Layer::key).toList();
    }

    /** The key versions a new envelope uses: the service key, then the customer key if any. */
    private List<KeyReference> targets(Optional<CustomerKey> customerKey) {
        List<KeyReference> refs = new ArrayList<>(2);
        refs.add(checked(serviceSource, providers.require(serviceSource).current(serviceKeyName)));
        if (customerKey.isPresent()) {
            CustomerKey ck = customerKey.get();
            KeyProvider p = providers.require(ck.source());
            refs.add(checked(ck.source(), ck.version().map(v -> p.resolve(ck.name(), v)).orElseGet(() -> p.current(ck.name()))));
        }
        return refs;
    }

    private static KeyReference checked(KeySource source, KeyReference ref) {
        if (ref == null || ref.source() != source) {
            throw new IllegalStateException("key provider for " + source.wireId() + " returned a key of another source: " + ref);
        }
        return ref;
    }

    private static boolean sameStructure(List<EnvelopeHeader.Layer> layers, List<KeyReference> targets) {
        if (layers.size() != targets.size()) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            KeyReference have = layers.get(i).key();
            KeyReference want = targets.get(i);
            if (have.source() != want.source() || !have.name().equals(want.name())) {
                return false;
            }
        }
        return true;
    }

    private byte[][] unwrapAll(EnvelopeHeader header, byte[] identity) {
        List<EnvelopeHeader.Layer> layers = header.layers();
        byte[][] dataKeys = new byte[layers.size()][];
        try {
            for (int i = 0; i < layers.size(); i++) {
                dataKeys[i] = unwrap(layers.get(i), wrapBinding(i, layers.size(), identity));
            }
            return dataKeys;
        } catch (RuntimeException e) {
            zero(dataKeys);
            throw e;
        }
    }

    /**
     * Service-layer keys are unwrapped locally in about a microsecond, so only the other sources
     * (vault, HSM: a database or network round trip) go through the cache.
     */
    private byte[] unwrap(EnvelopeHeader.Layer layer, byte[] binding) {
        KeyReference ref = layer.key();
        KeyProvider provider = providers.require(ref.source());
        byte[] dataKey = ref.source() == KeySource.SERVICE
                ? provider.unwrap(ref, layer.wrappedKey(), binding)
                : cache.unwrap(provider, ref, layer.wrappedKey(), binding);
        if (dataKey == null || dataKey.length != DATA_KEY_BYTES) {
            throw new CryptoException("cannot decrypt");
        }
        return dataKey;
    }

    /** What a wrap binds: format, layer position and count, role, and the object. */
    private static byte[] wrapBinding(int index, int count, byte[] identity) {
        String role = "BWE/1 data key, layer " + index + " of " + count + (index == 0 ? " (outer)" : " (inner)");
        return concat(role.getBytes(StandardCharsets.US_ASCII), new byte[] {0}, identity);
    }

    private static Aes256Gcm content(byte[][] dataKeys) {
        ByteArrayOutputStream ikm = new ByteArrayOutputStream(DATA_KEY_BYTES * dataKeys.length);
        for (byte[] k : dataKeys) {
            ikm.writeBytes(k);
        }
        byte[] material = ikm.toByteArray();
        byte[] key = Hkdf.derive(material, CONTENT_PURPOSE + dataKeys.length, DATA_KEY_BYTES);
        try {
            return Aes256Gcm.of(key);
        } finally {
            Arrays.fill(material, (byte) 0);
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int len = 0;
        for (byte[] p : parts) {
            len += p.length;
        }
        byte[] out = new byte[len];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void zero(byte[][] keys) {
        for (byte[] k : keys) {
            if (k != null) {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "EnvelopeCipher[outer=" + serviceSource.wireId() + ":" + serviceKeyName + ", " + providers + "]";
    }
}
