package dev.bulwark.crypto.pkcs11;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.Pkcs11Settings;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyProvider;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.ProviderException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Key-encryption keys held in a PKCS#11 token (an HSM), used through the JDK's SunPKCS11 provider.
 * Keys are AES-256 token objects created non-extractable and sensitive, so they never leave the HSM:
 * wrap and unwrap are AES-GCM operations performed inside it.
 *
 * <p><b>Versions.</b> Version {@code n} of key {@code name} is the secret key whose CKA_LABEL is
 * {@code <name>.<n>}, n a decimal integer from 1 (a label, not CKA_ID, because the label is what
 * SunPKCS11's KeyStore exposes as the alias and what operators see in {@code pkcs11-tool -O}).
 * Versions are digits only, so splitting at the last dot is unambiguous even for names with dots.
 * {@link #current} is the highest version present.
 *
 * <p><b>Wrapped format.</b> {@code [0x01][12-byte random IV][AES-GCM(dataKey) + 16-byte tag]}, with
 * the caller's associated data as GCM AAD.
 *
 * <p><b>Freshness.</b> SunPKCS11's KeyStore reads the token's labels once per {@code load}. Key
 * handles are cached in an immutable snapshot; when an operation fails for a reason other than a
 * bad tag (handle gone, not logged in, function not permitted) the token is re-read (logging in
 * again) and the operation retried once, so a key deleted or disabled from another process is
 * noticed on the next call and a token re-inserted is used again.
 *
 * <p><b>Threads.</b> Every call uses its own Cipher; SunPKCS11 pools the sessions. The snapshot is
 * immutable and swapped under a lock, so concurrent calls are safe. Every method blocks on the HSM.
 */
public final class Pkcs11KeyProvider implements KeyProvider {
    private static final byte FORMAT = 0x01;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int DATA_KEY_BYTES = 32;
    private static final int WRAPPED_BYTES = 1 + IV_BYTES + DATA_KEY_BYTES + TAG_BITS / 8;
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,17}");
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** How long {@link #current} trusts the labels it last read. */
    public static final Duration DEFAULT_LABELS_MAX_AGE = Duration.ofSeconds(1);

    private final Provider provider;
    private final Pkcs11Settings settings;
    private final Duration labelsMaxAge;
    private final SecureRandom random = new SecureRandom();
    private final Object reloadLock = new Object();
    /** Label -> key handle, as last read from the token. Replaced whole, never mutated. */
    private volatile Map<String, SecretKey> keys;
    /** System.nanoTime() when {@link #keys} was read. */
    private volatile long loadedAt;

    private Pkcs11KeyProvider(Provider provider, Pkcs11Settings settings, Duration labelsMaxAge) {
        this.provider = provider;
        this.settings = settings;
        this.labelsMaxAge = labelsMaxAge;
    }

    /**
     * Loads the module, selects the slot and logs in. Every failure is a {@link ConfigException}
     * naming the library and slot (and where the PIN came from, never the PIN), so startup stops.
     */
    public static Pkcs11KeyProvider open(Pkcs11Settings settings) {
        return open(settings, DEFAULT_LABELS_MAX_AGE);
    }

    /** As {@link #open(Pkcs11Settings)}, with how long {@link #current} may trust the labels it read. */
    public static Pkcs11KeyProvider open(Pkcs11Settings settings, Duration labelsMaxAge) {
        if (labelsMaxAge.isNegative()) {
            throw new IllegalArgumentException("labels max age must not be negative");
        }
        if (!Files.isReadable(settings.library())) {
            throw new ConfigException("PKCS#11 library " + settings.library() + " (BULWARK_PKCS11_LIBRARY) does not exist or is not readable");
        }
        Provider p;
        try {
            p = Security.getProvider("SunPKCS11").configure("--" + config(settings));
        } catch (RuntimeException e) {
            throw new ConfigException("cannot use PKCS#11 library " + settings.library() + " slot " + settings.slot()
                    + ": " + describe(e), e);
        }
        Pkcs11KeyProvider hsm = new Pkcs11KeyProvider(p, settings, labelsMaxAge);
        try {
            hsm.reload();
        } catch (HsmUnavailable e) {
            throw new ConfigException("cannot log in to the PKCS#11 token in slot " + settings.slot() + " of "
                    + settings.library() + " with the PIN from " + settings.pin().source() + ": " + e.getMessage(), e);
        }
        return hsm;
    }

    /**
     * SunPKCS11 configuration. The {@code generate} attributes make every AES key this provider
     * creates a non-extractable, sensitive token object; CKA_PRIVATE hides it from sessions that are
     * not logged in.
     */
    private static String config(Pkcs11Settings s) {
        // One provider name per instance: SunPKCS11 keeps providers apart by name.
        return "name = Bulwark" + INSTANCES.incrementAndGet() + "\n"
                + "library = " + s.library().toAbsolutePath() + "\n"
                + "slot = " + s.slot() + "\n"
                + "attributes(generate, CKO_SECRET_KEY, CKK_AES) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "  CKA_ENCRYPT = true\n"
                + "  CKA_DECRYPT = true\n"
                + "  CKA_WRAP = false\n"
                + "  CKA_UNWRAP = false\n"
                + "}\n";
    }

    @Override
    public KeySource source() {
        return KeySource.PKCS11;
    }

    /**
     * The newest version among the token's labels as read at most {@link #DEFAULT_LABELS_MAX_AGE}
     * ago (re-reading them costs about a millisecond on SoftHSM2, see bench/pkcs11.md): a version
     * added or deleted by another process or node is seen within that time. A version deleted in
     * that window makes the following wrap fail with {@link KeyAccessDeniedException}, never
     * silently use another key.
     */
    @Override
    public KeyReference current(String keyName) {
        KeyReference any = new KeyReference(KeySource.PKCS11, keyName, "current");
        Map<String, SecretKey> snapshot = System.nanoTime() - loadedAt > labelsMaxAge.toNanos() ? reloadOrDeny(any) : keys;
        Optional<KeyReference> newest = newest(keyName, snapshot);
        if (newest.isEmpty() && snapshot == keys) {
            newest = newest(keyName, reloadOrDeny(any));
        }
        return newest.orElseThrow(() -> new KeyAccessDeniedException(any, "no version of the key is on the token"));
    }

    @Override
    public KeyReference resolve(String keyName, String version) {
        KeyReference ref = new KeyReference(KeySource.PKCS11, keyName, version);
        if (!usable(ref)) {
            throw new KeyAccessDeniedException(ref, "the key is not on the token or not enabled for encryption");
        }
        return ref;
    }

    @Override
    public byte[] wrap(KeyReference key, byte[] dataKey, byte[] associatedData) {
        if (dataKey == null || dataKey.length != DATA_KEY_BYTES || associatedData == null) {
            throw new IllegalArgumentException("a data key is 32 bytes and associated data is required");
        }
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] ct = withKey(key, k -> {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(associatedData);
            return c.doFinal(dataKey);
        });
        byte[] out = new byte[1 + IV_BYTES + ct.length];
        out[0] = FORMAT;
        System.arraycopy(iv, 0, out, 1, IV_BYTES);
        System.arraycopy(ct, 0, out, 1 + IV_BYTES, ct.length);
        return out;
    }

    @Override
    public byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] associatedData) {
        if (wrappedKey == null || wrappedKey.length != WRAPPED_BYTES || wrappedKey[0] != FORMAT || associatedData == null) {
            throw new CryptoException("cannot decrypt");
        }
        return withKey(key, k -> {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, wrappedKey, 1, IV_BYTES));
            c.updateAAD(associatedData);
            return c.doFinal(wrappedKey, 1 + IV_BYTES, wrappedKey.length - 1 - IV_BYTES);
        });
    }

    /**
     * Whether the key is on the token and may encrypt and decrypt now: a one-block encryption
     * inside the HSM (one round trip, independent of how many objects the token holds), re-reading
     * the token once if the cached handle no longer works.
     */
    public boolean usable(KeyReference key) {
        checkSource(key);
        try {
            withKey(key, k -> {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
                byte[] iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, iv));
                return c.doFinal(new byte[1]);
            });
            return true;
        } catch (KeyAccessDeniedException e) {
            return false;
        }
    }

    /** Creates version 1 of a new key. Refuses when any version of the name already exists. */
    public KeyReference createKey(String keyName) {
        KeyReference first = new KeyReference(KeySource.PKCS11, keyName, "1");
        synchronized (reloadLock) {
            if (newest(keyName, reloadOrDeny(first)).isPresent()) {
                throw new IllegalStateException("key " + keyName + " already exists on the token; rotate it instead");
            }
            return generate(first);
        }
    }

    /** Creates the next version of an existing key, which {@link #current} then returns. */
    public KeyReference rotate(String keyName) {
        KeyReference any = new KeyReference(KeySource.PKCS11, keyName, "current");
        synchronized (reloadLock) {
            KeyReference newest = newest(keyName, reloadOrDeny(any))
                    .orElseThrow(() -> new KeyAccessDeniedException(any, "no version of the key is on the token to rotate"));
            return generate(new KeyReference(KeySource.PKCS11, keyName, Long.toString(Long.parseLong(newest.version()) + 1)));
        }
    }

    /** Generates the key inside the token (attributes from {@link #config}) and labels it. Holds reloadLock. */
    private KeyReference generate(KeyReference ref) {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES", provider);
            g.init(256);
            SecretKey k = g.generateKey();
            KeyStore ks = loadKeyStore();
            // For a key already on this token SunPKCS11 only sets CKA_LABEL; it is not copied out.
            ks.setEntry(label(ref), new KeyStore.SecretKeyEntry(k), null);
        } catch (GeneralSecurityException | ProviderException | HsmUnavailable e) {
            throw new KeyAccessDeniedException(ref, "cannot create the key on the token: " + describe(e));
        }
        reloadOrDeny(ref);
        return ref;
    }

    /** The key's handle (never its value: the token will not give that out), for tests that prove it. */
    SecretKey handle(KeyReference ref) {
        SecretKey k = reloadOrDeny(ref).get(label(ref));
        if (k == null) {
            throw new KeyAccessDeniedException(ref, "the key is not on the token");
        }
        return k;
    }

    /** The SunPKCS11 provider instance, for tests that try to extract a key through it. */
    Provider jcaProvider() {
        return provider;
    }

    @Override
    public String toString() {
        return "Pkcs11KeyProvider[" + settings.library() + " slot " + settings.slot() + ", PIN from " + settings.pin().source() + "]";
    }

    // ---- key lookup and error mapping ----

    private interface KeyOperation {
        byte[] apply(SecretKey key) throws GeneralSecurityException;
    }

    /**
     * Runs {@code op} with the key's cached handle; on an HSM failure other than a bad tag, re-reads
     * the token (logging in again) and retries once, then reports the key as not accessible.
     */
    private byte[] withKey(KeyReference ref, KeyOperation op) {
        checkSource(ref);
        String label = label(ref);
        SecretKey k = keys.get(label);
        if (k != null) {
            try {
                return op.apply(k);
            } catch (AEADBadTagException e) {
                throw new CryptoException("cannot decrypt", e);
            } catch (GeneralSecurityException | ProviderException e) {
                if (isBadTag(e)) {
                    throw new CryptoException("cannot decrypt", e);
                }
                // Fall through: the handle may be stale (key deleted or replaced, token re-inserted).
            }
        }
        k = reloadOrDeny(ref).get(label);
        if (k == null) {
            throw new KeyAccessDeniedException(ref, "the key is not on the token");
        }
        try {
            return op.apply(k);
        } catch (AEADBadTagException e) {
            throw new CryptoException("cannot decrypt", e);
        } catch (GeneralSecurityException | ProviderException e) {
            if (isBadTag(e)) {
                throw new CryptoException("cannot decrypt", e);
            }
            throw new KeyAccessDeniedException(ref, "the HSM refused the operation: " + describe(e));
        }
    }

    private Map<String, SecretKey> reloadOrDeny(KeyReference ref) {
        try {
            return reload();
        } catch (HsmUnavailable e) {
            throw new KeyAccessDeniedException(ref, "the token cannot be read: " + e.getMessage());
        }
    }

    /** Re-reads every secret key label on the token, logging in first if the session was logged out. */
    private Map<String, SecretKey> reload() throws HsmUnavailable {
        synchronized (reloadLock) {
            try {
                KeyStore ks = loadKeyStore();
                Map<String, SecretKey> fresh = new HashMap<>();
                for (String alias : Collections.list(ks.aliases())) {
                    if (ks.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class)) {
                        Key k = ks.getKey(alias, null);
                        if (k instanceof SecretKey sk && "AES".equals(sk.getAlgorithm())) {
                            fresh.put(alias, sk);
                        }
                    }
                }
                Map<String, SecretKey> snapshot = Map.copyOf(fresh);
                keys = snapshot;
                loadedAt = System.nanoTime();
                return snapshot;
            } catch (GeneralSecurityException | ProviderException e) {
                throw new HsmUnavailable(describe(e), e);
            }
        }
    }

    private KeyStore loadKeyStore() throws HsmUnavailable, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        char[] pin = settings.pin().reveal().toCharArray();
        try {
            // With a PIN, load logs in unless this provider's session is already logged in.
            ks.load(null, pin);
        } catch (IOException e) {
            throw new HsmUnavailable("login failed: " + describe(e), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
        return ks;
    }

    private static Optional<KeyReference> newest(String keyName, Map<String, SecretKey> keys) {
        String prefix = keyName + ".";
        long best = 0;
        for (String label : keys.keySet()) {
            if (label.startsWith(prefix) && label.lastIndexOf('.') == keyName.length()) {
                String v = label.substring(prefix.length());
                if (VERSION.matcher(v).matches()) {
                    best = Math.max(best, Long.parseLong(v));
                }
            }
        }
        return best == 0 ? Optional.empty() : Optional.of(new KeyReference(KeySource.PKCS11, keyName, Long.toString(best)));
    }

    private static String label(KeyReference ref) {
        if (!VERSION.matcher(ref.version()).matches()) {
            throw new KeyAccessDeniedException(ref, "PKCS#11 key versions are positive whole numbers");
        }
        return ref.name() + "." + ref.version();
    }

    private static void checkSource(KeyReference ref) {
        if (ref.source() != KeySource.PKCS11) {
            throw new IllegalArgumentException("not a PKCS#11 key: " + ref);
        }
    }

    /**
     * SunPKCS11 reports a GCM tag mismatch either as AEADBadTagException or, depending on the
     * module, as CKR_ENCRYPTED_DATA_INVALID inside a ProviderException or BadPaddingException. Its
     * PKCS11Exception type is not exported, so the return value's name in the message is what we can match.
     */
    private static boolean isBadTag(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AEADBadTagException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("CKR_ENCRYPTED_DATA_INVALID") || m.contains("CKR_ENCRYPTED_DATA_LEN_RANGE")
                    || m.contains("Tag mismatch"))) {
                return true;
            }
        }
        return false;
    }

    /** The exception chain's class names and messages (PKCS#11 return values), never any key or PIN. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 300; t = t.getCause()) {
            if (!b.isEmpty()) {
                b.append(" <- ");
            }
            b.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                b.append(": ").append(t.getMessage());
            }
        }
        return b.toString();
    }

    /** The token could not be read or logged in to. */
    private static final class HsmUnavailable extends Exception {
        HsmUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
