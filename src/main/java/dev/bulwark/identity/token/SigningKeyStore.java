package dev.bulwark.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ObjectIdentity;
import dev.bulwark.crypto.SecretBox;
import dev.bulwark.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The signing keyset at rest ({@code signing_keys}, migration V3). Every operation is one write
 * transaction that leaves exactly one primary and returns the whole keyset as it now stands:
 * {@link #loadOrCreate} (a primary is generated on first use), {@link #rotate} and {@link #prune}.
 *
 * <p>A row is trusted only if it opens: {@code sealed} is an envelope of the keyring (service key
 * only, bound to {@code ("", "signing-key", kid)}) over the row's binding (status, kid and public
 * JWK) followed by the PKCS#8 private key (primary) or by nothing (verify-only: the private key is
 * erased at retirement); and the kid must be the public key's thumbprint. A row that fails either
 * stops the load with one generic message: it was written without the master key, or the master key
 * is not the one it was written with, and either way silently replacing the keyset would hide it.
 *
 * <p>Rows written before the keyring are {@link SecretBox} ciphertexts (first byte 0x01, the binding
 * as associated data). They are still read, and {@link #loadOrCreate} re-seals them as envelopes.
 */
final class SigningKeyStore {
    /** The purpose of the pre-keyring {@link SecretBox}; only read now. */
    static final String PURPOSE = "bulwark/token-signing-key/v1";
    static final String OBJECT_KIND = "signing-key";
    private static final Logger LOG = Logger.getLogger(SigningKeyStore.class.getName());
    private static final byte[] SELF_TEST = "bulwark signing key self-test".getBytes(StandardCharsets.US_ASCII);

    private final Database db;
    private final ObjectCipher cipher;
    private final SecretBox legacy;

    /** @param cipher seals with the service key only: signing keys are no account's data */
    SigningKeyStore(Database db, ObjectCipher cipher, MasterKey master) {
        this.db = db;
        this.cipher = cipher;
        this.legacy = SecretBox.forPurpose(master, PURPOSE);
    }

    static ObjectIdentity identity(String kid) {
        return new ObjectIdentity("", OBJECT_KIND, kid);
    }

    /**
     * What the envelope holds: the binding, a zero byte, then the secret. The envelope's identity
     * names only the kid, so status and public key are bound inside it: a row promoted to primary or
     * given another public key does not open.
     */
    static byte[] content(SigningKeyStatus status, String kid, String publicJwk, byte[] secret) {
        byte[] binding = associatedData(status, kid, publicJwk).getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(binding, binding.length + 1 + secret.length);
        System.arraycopy(secret, 0, out, binding.length + 1, secret.length);
        return out;
    }

    private byte[] seal(SigningKeyStatus status, String kid, String publicJwk, byte[] secret) {
        byte[] plain = content(status, kid, publicJwk, secret);
        try {
            return cipher.seal(plain, identity(kid), Optional.empty());
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    static boolean isLegacy(byte[] sealed) {
        return SecretBox.isSealedByThis(sealed);
    }

    /** The associated data of a row's sealed value: it opens only for this status, kid and public key. */
    static String associatedData(SigningKeyStatus status, String kid, String publicJwk) {
        return "token-signing-key|" + status.wireName() + "|" + kid + "|" + publicJwk;
    }

    private record Row(String kid, SigningKeyStatus status, Instant createdAt, Instant retiredAt, String publicJwk, byte[] sealed) {
    }

    /** The keyset; on first use (no primary stored) a primary is generated. Drops keys past their trust. */
    List<SigningKey> loadOrCreate(Instant now) {
        return db.inTransaction(c -> {
            List<Row> rows = resealLegacy(c, select(c));
            if (rows.stream().noneMatch(r -> r.status() == SigningKeyStatus.PRIMARY)) {
                rows.add(insertNewPrimary(c, now));
            }
            return decodeAll(deleteUntrusted(c, rows, now));
        });
    }

    /** Rewrites SecretBox rows as envelopes; a row that does not open stops the load, as on any read. */
    private List<Row> resealLegacy(Connection c, List<Row> rows) throws SQLException {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (!isLegacy(r.sealed())) {
                out.add(r);
                continue;
            }
            byte[] secret = open(r);
            byte[] sealed;
            try {
                sealed = seal(r.status(), r.kid(), r.publicJwk(), secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE signing_keys SET sealed = ? WHERE kid = ? AND status = ?")) {
                p.setBytes(1, sealed);
                p.setString(2, r.kid());
                p.setString(3, r.status().wireName());
                if (p.executeUpdate() != 1) {
                    throw new IllegalStateException("token signing key " + r.kid() + " changed while being re-sealed");
                }
            }
            LOG.info("token signing key " + r.kid() + " re-sealed onto the keyring");
            out.add(new Row(r.kid(), r.status(), r.createdAt(), r.retiredAt(), r.publicJwk(), sealed));
        }
        return out;
    }

    /** Makes a new primary; the old one becomes verify-only (private key erased); drops keys past their trust. */
    List<SigningKey> rotate(Instant now) {
        return db.inTransaction(c -> {
            List<Row> rows = new ArrayList<>();
            for (Row r : select(c)) {
                if (r.status() == SigningKeyStatus.PRIMARY) {
                    Arrays.fill(open(r), (byte) 0); // never retire (and so re-seal) a row that was not ours
                    byte[] sealed = seal(SigningKeyStatus.VERIFY_ONLY, r.kid(), r.publicJwk(), new byte[0]);
                    try (PreparedStatement p = c.prepareStatement(
                            "UPDATE signing_keys SET status = 'verify-only', retired_at = ?, sealed = ? WHERE kid = ? AND status = 'primary'")) {
                        p.setString(1, now.toString());
                        p.setBytes(2, sealed);
                        p.setString(3, r.kid());
                        p.executeUpdate();
                    }
                    rows.add(new Row(r.kid(), SigningKeyStatus.VERIFY_ONLY, r.createdAt(), now, r.publicJwk(), sealed));
                    LOG.info("token signing key " + r.kid() + " retired (verify-only)");
                } else {
                    rows.add(r);
                }
            }
            rows.add(insertNewPrimary(c, now));
            return decodeAll(deleteUntrusted(c, rows, now));
        });
    }

    /** Deletes verify-only keys that no unexpired token can need any more. */
    List<SigningKey> prune(Instant now) {
        return db.inTransaction(c -> decodeAll(deleteUntrusted(c, select(c), now)));
    }

    private static List<Row> select(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT kid, status, created_at, retired_at, public_jwk, sealed FROM signing_keys ORDER BY created_at");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                String retired = rs.getString(4);
                rows.add(new Row(rs.getString(1), SigningKeyStatus.parse(rs.getString(2)), Instant.parse(rs.getString(3)),
                        retired == null ? null : Instant.parse(retired), rs.getString(5), rs.getBytes(6)));
            }
        }
        return rows;
    }

    private Row insertNewPrimary(Connection c, Instant now) throws SQLException {
        ECKey key;
        try {
            key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new CryptoException("cannot generate a P-256 signing key", e);
        }
        String publicJwk = key.toPublicJWK().toJSONString();
        byte[] pkcs8;
        try {
            pkcs8 = key.toECPrivateKey().getEncoded();
        } catch (JOSEException e) {
            throw new CryptoException("cannot encode the signing key", e);
        }
        byte[] sealed;
        try {
            sealed = seal(SigningKeyStatus.PRIMARY, key.getKeyID(), publicJwk, pkcs8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO signing_keys(kid, status, created_at, retired_at, public_jwk, sealed) VALUES (?, 'primary', ?, NULL, ?, ?)")) {
            p.setString(1, key.getKeyID());
            p.setString(2, now.toString());
            p.setString(3, publicJwk);
            p.setBytes(4, sealed);
            p.executeUpdate();
        }
        LOG.info("token signing key " + key.getKeyID() + " generated (primary)");
        return new Row(key.getKeyID(), SigningKeyStatus.PRIMARY, now, null, publicJwk, sealed);
    }

    private List<Row> deleteUntrusted(Connection c, List<Row> rows, Instant now) throws SQLException {
        List<Row> kept = new ArrayList<>();
        for (Row r : rows) {
            if (r.status() == SigningKeyStatus.VERIFY_ONLY && !now.isBefore(trustedUntil(r.retiredAt()))) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM signing_keys WHERE kid = ? AND status = 'verify-only'")) {
                    p.setString(1, r.kid());
                    p.executeUpdate();
                }
                LOG.info("token signing key " + r.kid() + " deleted: every token it signed has expired");
            } else {
                kept.add(r);
            }
        }
        return kept;
    }

    private static Instant trustedUntil(Instant retiredAt) {
        return retiredAt.plus(TokenService.LIFETIME).plus(TokenService.LEEWAY);
    }

    private List<SigningKey> decodeAll(List<Row> rows) {
        List<SigningKey> keys = new ArrayList<>(rows.size());
        for (Row r : rows) {
            keys.add(decode(r));
        }
        return keys;
    }

    /** Opens the row's sealed value (authenticating the row) and returns the private key bytes (empty if verify-only). */
    private byte[] open(Row r) {
        ECKey publicKey = publicKey(r);
        boolean legacyRow = isLegacy(r.sealed());
        byte[] plain;
        try {
            plain = legacyRow ? legacy.open(r.sealed(), associatedData(r.status(), r.kid(), r.publicJwk()))
                    : cipher.open(r.sealed(), identity(r.kid()));
        } catch (CryptoException | IllegalArgumentException e) {
            throw corrupt(r, e);
        }
        if (!legacyRow) {
            plain = secretOf(r, plain);
        }
        if ((r.status() == SigningKeyStatus.VERIFY_ONLY) != (plain.length == 0) || publicKey == null) {
            throw corrupt(r, null);
        }
        return plain;
    }

    /** The secret after the row's binding; the binding must be this row's status, kid and public key. */
    private static byte[] secretOf(Row r, byte[] content) {
        try {
            byte[] expected = associatedData(r.status(), r.kid(), r.publicJwk()).getBytes(StandardCharsets.UTF_8);
            if (content.length <= expected.length || content[expected.length] != 0
                    || !MessageDigest.isEqual(Arrays.copyOf(content, expected.length), expected)) {
                throw corrupt(r, null);
            }
            return Arrays.copyOfRange(content, expected.length + 1, content.length);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static ECKey publicKey(Row r) {
        try {
            JWK jwk = JWK.parse(r.publicJwk());
            if (!(jwk instanceof ECKey ec) || ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())
                    || !r.kid().equals(ec.computeThumbprint().toString())) {
                return null;
            }
            return new ECKey.Builder(ec).keyID(r.kid()).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            return null;
        }
    }

    private SigningKey decode(Row r) {
        byte[] plain = open(r);
        ECKey publicKey = publicKey(r);
        try {
            ECDSAVerifier verifier = new ECDSAVerifier(publicKey);
            JWSHeader header = SigningKey.headerFor(r.kid());
            ECDSASigner signer = null;
            if (r.status() == SigningKeyStatus.PRIMARY) {
                ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(plain));
                signer = new ECDSASigner(privateKey, Curve.P_256);
                // The private key must be the public key's pair, or every token would be refused.
                Base64URL sig = signer.sign(header, SELF_TEST);
                if (!verifier.verify(header, SELF_TEST, sig)) {
                    throw corrupt(r, null);
                }
            }
            return new SigningKey(r.kid(), r.status(), r.createdAt(), r.retiredAt(), publicKey, header, verifier, signer);
        } catch (GeneralSecurityException | JOSEException | ClassCastException e) {
            throw corrupt(r, e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static CryptoException corrupt(Row r, Exception cause) {
        return new CryptoException("token signing key " + r.kid() + " in the database does not open with this master key "
                + "(wrong master key, or the row was not written by Bulwark); refusing to load the signing keyset", cause);
    }
}
