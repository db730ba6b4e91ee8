package dev.bulwark.identity.token;

import dev.bulwark.testing.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.bulwark.account.KeyName;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ServiceKeyProvider;
import dev.bulwark.crypto.SecretBox;
import dev.bulwark.store.Database;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token service over a fresh database with a hand-moved clock, the account keys' current ids
 * (what the snapshot would answer), and a way to sign arbitrary header and claims JSON with the
 * service's real primary key, read from the database the way an attacker who had it would.
 */
final class TokenFixture implements AutoCloseable {
    static final String ISSUER = "https://localhost:8443/sts";
    static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    final Database db;
    final MasterKey master;
    final ObjectCipher cipher;
    final MutableClock clock = new MutableClock(START);
    final Map<String, String> currentKeyIds = new ConcurrentHashMap<>();
    final KeyGenerations generations = (account, slot, keyId) -> keyId.equals(currentKeyIds.get(account + "/" + slot.armName()));
    TokenService service;

    TokenFixture(Path dir) {
        this(dir, TokenService.Options.defaults());
    }

    TokenFixture(Path dir, TokenService.Options options) {
        this.db = Database.openSqlite(dir.resolve("bulwark.db"));
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "test"));
        this.cipher = cipherFor(master);
        this.service = new TokenService(db, master, cipher, clock, ISSUER, options);
    }

    /** The keyring as Bulwark builds it for signing keys: the service key derived from {@code master}, nothing else. */
    static ObjectCipher cipherFor(MasterKey master) {
        return EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1)), DataKeyCache.withDefaults());
    }

    /** A new service over the same database, as after a restart. */
    TokenService restart() {
        service = new TokenService(db, master, cipher, clock, ISSUER);
        return service;
    }

    /** Sets the slot's current key to a fresh id (what key generation or regeneration does) and returns it. */
    String regenerate(String account, KeyName slot) {
        byte[] b = new byte[9];
        new SecureRandom().nextBytes(b);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        currentKeyIds.put(account + "/" + slot.armName(), id);
        return id;
    }

    String currentKeyId(String account, KeyName slot) {
        String id = currentKeyIds.get(account + "/" + slot.armName());
        return id != null ? id : regenerate(account, slot);
    }

    /** A real token for the account's current key in {@code slot}. */
    String accountToken(String account, KeyName slot) {
        return service.issueForAccountKey(account, "westeurope", slot, currentKeyId(account, slot));
    }

    TokenVerdict verify(String token, String account) {
        return service.verify(token, account, generations);
    }

    // ------------------------------------------------------------------ crafting

    /** The header Bulwark itself puts on a token signed by the current primary. */
    Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", "ES256");
        h.put("kid", service.primaryKeyId());
        h.put("typ", "JWT");
        return h;
    }

    /** The claims Bulwark itself puts in an account-key token issued now. */
    Map<String, Object> accountClaims(String account, KeyName slot) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("aud", List.of(TokenService.COGNITIVE_SERVICES_AUDIENCE, "/accounts/" + account));
        c.put("sub", "key:" + account + "/" + slot.armName());
        c.put("azure-resource-id", "/accounts/" + account);
        c.put("region", "westeurope");
        c.put("scope", TokenService.COGNITIVE_SERVICES_SCOPE);
        c.put("bulwark-token-type", "account-key");
        c.put("bulwark-key-id", currentKeyId(account, slot));
        c.put("iat", now);
        c.put("nbf", now);
        c.put("exp", now + 600);
        c.put("jti", "crafted-" + now);
        return c;
    }

    /** The claims Bulwark itself puts in a workload token issued now. */
    Map<String, Object> workloadClaims(String identityId, String name, String audience) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", ISSUER);
        c.put("aud", audience);
        c.put("sub", identityId);
        c.put("bulwark-token-type", "workload");
        c.put("name", name);
        c.put("iat", now);
        c.put("nbf", now);
        c.put("exp", now + 600);
        c.put("jti", "crafted-" + now);
        return c;
    }

    String craft(Map<String, Object> header, Map<String, Object> claims) {
        return craftRaw(json(header), json(claims), primaryPrivateKey());
    }

    /** Signs exactly these JSON texts (duplicates and all) with ES256 under {@code key}. */
    static String craftRaw(String headerJson, String claimsJson, ECKey key) {
        String input = b64(headerJson) + "." + b64(claimsJson);
        try {
            return input + "." + new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256), input.getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The primary's private key, decrypted from its row with the master key. */
    ECKey primaryPrivateKey() {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT kid, public_jwk, sealed FROM signing_keys WHERE status = 'primary'");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                String kid = rs.getString(1);
                String pub = rs.getString(2);
                byte[] pkcs8 = privateKeyOf(rs.getBytes(3), kid, pub);
                try {
                    ECPrivateKey priv = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                    return new ECKey.Builder((ECKey) JWK.parse(pub)).privateKey(priv).build();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    /** The PKCS#8 bytes of a primary row, legacy (SecretBox) or envelope, opened the way the store does. */
    byte[] privateKeyOf(byte[] sealed, String kid, String publicJwk) {
        if (SigningKeyStore.isLegacy(sealed)) {
            return SecretBox.forPurpose(master, SigningKeyStore.PURPOSE)
                    .open(sealed, SigningKeyStore.associatedData(SigningKeyStatus.PRIMARY, kid, publicJwk));
        }
        byte[] content = cipher.open(sealed, SigningKeyStore.identity(kid));
        byte[] binding = SigningKeyStore.content(SigningKeyStatus.PRIMARY, kid, publicJwk, new byte[0]);
        if (!java.util.Arrays.equals(content, 0, binding.length, binding, 0, binding.length)) {
            throw new IllegalStateException("the envelope's binding is not this row's");
        }
        return java.util.Arrays.copyOfRange(content, binding.length, content.length);
    }

    @Override
    public void close() {
        db.close();
    }
}
