package dev.bulwark.vault;

import dev.bulwark.crypto.Aes256Gcm;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ObjectIdentity;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Vault keys: RSA 2048/3072/4096 and 256-bit symmetric ({@code oct}) keys, created in the vault,
 * never exported. The private (or secret) material is stored only as an {@link ObjectCipher}
 * envelope bound to {@code ("", "vault-key", "<name>/<version>")}; an RSA key's public part is kept
 * in clear for reads. Wrap and unwrap need the version enabled, past nbf and before exp.
 * Blocking: database, cipher.
 */
public final class VaultKeys {
    public static final String RSA = "RSA";
    public static final String OCT = "oct";
    public static final String RSA_OAEP = "RSA-OAEP";
    public static final String RSA_OAEP_256 = "RSA-OAEP-256";
    public static final String A256KW = "A256KW";
    static final Set<Integer> RSA_SIZES = Set.of(2048, 3072, 4096);
    static final List<String> RSA_OPS = List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");
    static final List<String> OCT_OPS = List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");

    private final VaultItems items;
    private final ObjectCipher cipher;
    private final SecureRandom random = new SecureRandom();

    public VaultKeys(VaultItems items, ObjectCipher cipher) {
        this.items = items;
        this.cipher = cipher;
    }

    /** What creating a key takes. {@code size} is the RSA modulus size or 256 for oct. */
    public record NewKey(String kty, int size, boolean enabled, Optional<Instant> notBefore, Optional<Instant> expires, Map<String, String> tags) {
        public static NewKey rsa(int size) {
            return new NewKey(RSA, size, true, Optional.empty(), Optional.empty(), Map.of());
        }
    }

    public VaultVersion create(String name, NewKey spec) {
        VaultName.require(name);
        String kty = spec.kty();
        if (RSA.equals(kty) || "RSA-HSM".equals(kty)) {
            if (!RSA_SIZES.contains(spec.size())) {
                throw VaultException.badParameter("key_size must be 2048, 3072 or 4096 for RSA keys.");
            }
            kty = RSA;
        } else if (OCT.equals(kty) || "oct-HSM".equals(kty)) {
            if (spec.size() != 256) {
                throw VaultException.badParameter("key_size must be 256 for oct keys.");
            }
            kty = OCT;
        } else {
            throw VaultException.badParameter("kty must be RSA or oct.");
        }
        VaultItems.checkWindow(spec.notBefore(), spec.expires());
        VaultItems.checkTags(spec.tags());
        return addVersion(name, kty, spec.size(), new VaultAttributesSpec(spec.enabled(), spec.notBefore(), spec.expires()), spec.tags());
    }

    /** A new version with the current one's type, size and tags, enabled, without nbf/exp. */
    public VaultVersion rotate(String name) {
        VaultVersion current = items.get(VaultItemKind.KEY, name, Optional.empty());
        return addVersion(current.name(), current.keyType().orElseThrow(), current.keySize(),
                new VaultAttributesSpec(true, Optional.empty(), Optional.empty()), current.tags());
    }

    private record VaultAttributesSpec(boolean enabled, Optional<Instant> nbf, Optional<Instant> exp) {
    }

    private VaultVersion addVersion(String name, String kty, int size, VaultAttributesSpec a, Map<String, String> tags) {
        byte[] secretMaterial;
        Optional<byte[]> publicKey;
        if (RSA.equals(kty)) {
            KeyPair pair = generateRsa(size);
            secretMaterial = pair.getPrivate().getEncoded();
            publicKey = Optional.of(pair.getPublic().getEncoded());
        } else {
            secretMaterial = new byte[32];
            random.nextBytes(secretMaterial);
            publicKey = Optional.empty();
        }
        try {
            return items.addVersion(VaultItemKind.KEY, name, (canonical, version, now) -> new VaultVersion(VaultItemKind.KEY, canonical, version,
                    cipher.seal(secretMaterial, identity(canonical, version), Optional.empty()), Optional.empty(), Optional.of(kty), size,
                    publicKey, new VaultAttributes(a.enabled(), a.nbf(), a.exp(), now, now), tags));
        } finally {
            Arrays.fill(secretMaterial, (byte) 0);
        }
    }

    /** What a wrap or unwrap produced, and the key version that did it (what {@code kid} names). */
    public record Operation(VaultVersion used, byte[] value) {
    }

    /** Wraps with the named version (current when empty), by Key Vault's algorithms. */
    public Operation wrap(String name, Optional<String> version, String alg, byte[] value) {
        VaultVersion v = usable(name, version, "wrapKey");
        try {
            if (RSA.equals(v.keyType().orElseThrow())) {
                Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                c.init(Cipher.ENCRYPT_MODE, publicKeyOf(v).orElseThrow(), oaep(alg, null));
                return new Operation(v, c.doFinal(value));
            }
            requireAlg(alg, A256KW);
            return new Operation(v, withSecret(v, k -> {
                Cipher c = Cipher.getInstance("AESWrap");
                c.init(Cipher.WRAP_MODE, new SecretKeySpec(k, "AES"));
                return c.wrap(new SecretKeySpec(value, "AES"));
            }));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw VaultException.badParameter("The value cannot be wrapped with this key and algorithm.");
        }
    }

    /** Unwraps with the named version, by Key Vault's algorithms. A value that does not unwrap is a 400. */
    public Operation unwrap(String name, Optional<String> version, String alg, byte[] value) {
        VaultVersion v = usable(name, version, "unwrapKey");
        try {
            if (RSA.equals(v.keyType().orElseThrow())) {
                OAEPParameterSpec spec = oaep(alg, null);
                return new Operation(v, withSecret(v, k -> {
                    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                    c.init(Cipher.DECRYPT_MODE, privateKey(k), spec);
                    return c.doFinal(value);
                }));
            }
            requireAlg(alg, A256KW);
            return new Operation(v, withSecret(v, k -> {
                Cipher c = Cipher.getInstance("AESWrap");
                c.init(Cipher.UNWRAP_MODE, new SecretKeySpec(k, "AES"));
                return c.unwrap(value, "AES", Cipher.SECRET_KEY).getEncoded();
            }));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw VaultException.badParameter("The value cannot be unwrapped with this key and algorithm.");
        }
    }

    /**
     * Wraps a data key for Bulwark's own envelopes, binding {@code associatedData}: RSA-OAEP-256
     * with the associated data as the OAEP label, or AES-256-GCM (nonce first) for oct keys.
     */
    byte[] wrapBound(VaultVersion v, byte[] dataKey, byte[] associatedData) throws GeneralSecurityException {
        if (RSA.equals(v.keyType().orElseThrow())) {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, publicKeyOf(v).orElseThrow(), oaep(RSA_OAEP_256, associatedData));
            return c.doFinal(dataKey);
        }
        // nonce || ciphertext || tag, as the keyring's own AES-GCM writes it.
        return withSecret(v, k -> Aes256Gcm.of(k).encrypt(dataKey, associatedData));
    }

    byte[] unwrapBound(VaultVersion v, byte[] wrapped, byte[] associatedData) throws GeneralSecurityException {
        if (RSA.equals(v.keyType().orElseThrow())) {
            return withSecret(v, k -> {
                Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                c.init(Cipher.DECRYPT_MODE, privateKey(k), oaep(RSA_OAEP_256, associatedData));
                return c.doFinal(wrapped);
            });
        }
        return withSecret(v, k -> Aes256Gcm.of(k).decrypt(wrapped, associatedData));
    }

    /** The version if it may be used for {@code operation} now; 403 as Key Vault answers otherwise. */
    VaultVersion usable(String name, Optional<String> version, String operation) {
        VaultVersion v = items.get(VaultItemKind.KEY, name, version);
        String refusal = v.attributes().refusalAt(items.now());
        if (refusal != null) {
            String inner = switch (refusal) {
                case "disabled" -> "KeyDisabled";
                case "expired" -> "KeyExpired";
                default -> "KeyNotYetValid";
            };
            throw new VaultException(403, "Forbidden", "Operation " + operation + " is not allowed on a " + refusal + " key.", inner);
        }
        return v;
    }

    VaultItems items() {
        return items;
    }

    /** The RSA public key of a version, or empty for oct keys. */
    public static Optional<PublicKey> publicKeyOf(VaultVersion v) {
        return v.publicKey().map(b -> {
            try {
                return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(b));
            } catch (GeneralSecurityException e) {
                throw new CryptoException("stored public key is not RSA", e);
            }
        });
    }

    private static PrivateKey privateKey(byte[] pkcs8) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private static OAEPParameterSpec oaep(String alg, byte[] label) {
        PSource source = label == null ? PSource.PSpecified.DEFAULT : new PSource.PSpecified(label);
        return switch (alg == null ? "" : alg) {
            case RSA_OAEP -> new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, source);
            case RSA_OAEP_256 -> new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, source);
            default -> throw VaultException.badParameter("alg must be RSA-OAEP or RSA-OAEP-256 for RSA keys.");
        };
    }

    private static void requireAlg(String alg, String expected) {
        if (!expected.equals(alg)) {
            throw VaultException.badParameter("alg must be " + expected + " for oct keys.");
        }
    }

    private static KeyPair generateRsa(int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(size);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CryptoException("cannot generate an RSA key", e);
        }
    }

    /** Opens the sealed material, runs {@code use}, and wipes the plaintext copy. */
    private <T> T withSecret(VaultVersion v, SecretUse<T> use) throws GeneralSecurityException {
        byte[] material = cipher.open(v.sealed(), identity(v.name(), v.version()));
        try {
            return use.apply(material);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    @FunctionalInterface
    private interface SecretUse<T> {
        T apply(byte[] material) throws GeneralSecurityException;
    }

    static ObjectIdentity identity(String name, String version) {
        return new ObjectIdentity("", VaultItemKind.KEY.objectKind(), name + "/" + version);
    }
}
