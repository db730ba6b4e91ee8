package dev.bulwark.identity.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.account.KeyName;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.SecretBox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyRotationTest {
    @TempDir
    Path dir;
    TokenFixture f;

    @BeforeEach
    void setUp() {
        f = new TokenFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static String kidOf(String token) throws Exception {
        return JWSObject.parse(token).getHeader().getKeyID();
    }

    private List<String> jwksKids() throws Exception {
        List<String> kids = new ArrayList<>();
        for (JsonNode k : TokenFixture.JSON.readTree(f.service.jwksJson()).get("keys")) {
            kids.add(k.get("kid").asText());
        }
        return kids;
    }

    private List<String[]> rows() {
        return f.db.read(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT kid, status, retired_at FROM signing_keys ORDER BY created_at, status");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            return out;
        });
    }

    private void sql(String statement, Object... args) {
        f.db.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    p.setObject(i + 1, args[i]);
                }
                return p.executeUpdate();
            }
        });
    }

    @Test
    void firstUseGeneratesOnePrimaryKey() {
        assertThat(rows()).hasSize(1);
        assertThat(rows().get(0)[0]).isEqualTo(f.service.primaryKeyId());
        assertThat(rows().get(0)[1]).isEqualTo("primary");
    }

    @Test
    void newTokensUseTheNewKeyAndOldTokensStillVerifyUntilTheyExpire() throws Exception {
        String before = f.accountToken("contoso", KeyName.KEY1);
        String oldKid = f.service.primaryKeyId();
        f.clock.advance(Duration.ofMinutes(5));
        f.service.rotateSigningKey();
        String after = f.accountToken("contoso", KeyName.KEY1);
        assertThat(kidOf(before)).isEqualTo(oldKid);
        assertThat(kidOf(after)).isEqualTo(f.service.primaryKeyId()).isNotEqualTo(oldKid);
        assertThat(f.verify(before, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(after, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(jwksKids()).containsExactlyInAnyOrder(oldKid, f.service.primaryKeyId());

        f.clock.advance(Duration.ofMinutes(5).plus(TokenService.LEEWAY));
        assertThat(f.verify(before, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.EXPIRED));
        assertThat(f.verify(after, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void retiredKeyStaysPublishedWhileATokenItSignedCanBeValidThenIsDropped() throws Exception {
        String oldKid = f.service.primaryKeyId();
        f.clock.advance(Duration.ofMinutes(3));
        String lastOfOldKey = f.accountToken("contoso", KeyName.KEY1);
        f.service.rotateSigningKey(); // retired at START+3m: its last token is good until START+13m+leeway
        String newKid = f.service.primaryKeyId();

        f.clock.set(TokenFixture.START.plus(Duration.ofMinutes(13)).plus(TokenService.LEEWAY).minusMillis(1));
        assertThat(f.verify(lastOfOldKey, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(jwksKids()).containsExactlyInAnyOrder(oldKid, newKid);
        f.service.pruneRetiredKeys();
        assertThat(rows()).hasSize(2);

        f.clock.advance(Duration.ofMillis(1));
        assertThat(jwksKids()).containsExactly(newKid);
        assertThat(f.verify(lastOfOldKey, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.RETIRED_SIGNING_KEY));
        f.service.pruneRetiredKeys();
        assertThat(rows()).extracting(r -> r[0]).containsExactly(newKid);
        assertThat(f.verify(lastOfOldKey, "contoso")).isEqualTo(new TokenVerdict.Invalid(Reason.UNKNOWN_KID));
    }

    @Test
    void rotationItselfDeletesKeysNoTokenCanNeed() {
        f.service.rotateSigningKey();
        f.service.rotateSigningKey();
        assertThat(rows()).hasSize(3);
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        f.service.rotateSigningKey();
        assertThat(rows()).hasSize(2);
        assertThat(rows()).extracting(r -> r[1]).containsExactlyInAnyOrder("primary", "verify-only");
    }

    @Test
    void aRestartedServiceKeepsThePrimaryAndTheRetiredKeys() throws Exception {
        String k0Token = f.accountToken("contoso", KeyName.KEY1);
        f.service.rotateSigningKey();
        String k1Token = f.accountToken("contoso", KeyName.KEY2);
        String primary = f.service.primaryKeyId();
        String jwks = f.service.jwksJson();

        TokenService restarted = f.restart();
        assertThat(restarted.primaryKeyId()).isEqualTo(primary);
        assertThat(restarted.jwksJson()).isEqualTo(jwks);
        assertThat(restarted.verify(k0Token, "contoso", f.generations)).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(restarted.verify(k1Token, "contoso", f.generations)).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(kidOf(f.accountToken("contoso", KeyName.KEY1))).isEqualTo(primary);
    }

    @Test
    void aRestartLongAfterRotationDropsTheRetiredKey() {
        f.service.rotateSigningKey();
        assertThat(rows()).hasSize(2);
        f.clock.advance(Duration.ofHours(1));
        f.restart();
        assertThat(rows()).hasSize(1);
    }

    @Test
    void aSecondServiceSeesARotationAfterReload() {
        TokenService other = new TokenService(f.db, f.master, f.cipher, f.clock, TokenFixture.ISSUER);
        f.service.rotateSigningKey();
        String token = f.accountToken("contoso", KeyName.KEY1);
        assertThat(other.verify(token, "contoso", f.generations)).isEqualTo(new TokenVerdict.Invalid(Reason.UNKNOWN_KID));
        other.reload();
        assertThat(other.primaryKeyId()).isEqualTo(f.service.primaryKeyId());
        assertThat(other.verify(token, "contoso", f.generations)).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void rotateIfOlderThanRotatesOnlyAnOldPrimary() {
        String first = f.service.primaryKeyId();
        assertThat(f.service.rotateSigningKeyIfOlderThan(Duration.ofDays(1))).isFalse();
        assertThat(f.service.primaryKeyId()).isEqualTo(first);
        f.clock.advance(Duration.ofDays(1));
        assertThat(f.service.rotateSigningKeyIfOlderThan(Duration.ofDays(1))).isTrue();
        assertThat(f.service.primaryKeyId()).isNotEqualTo(first);
    }

    @Test
    void theDatabaseHoldsOnlyOnePrimary() {
        assertThatThrownBy(() -> sql("INSERT INTO signing_keys(kid, status, created_at, retired_at, public_jwk, sealed) VALUES ('x', 'primary', ?, NULL, '{}', x'00')",
                TokenFixture.START.toString())).hasMessageContaining("UNIQUE");
        assertThatThrownBy(() -> sql("INSERT INTO signing_keys(kid, status, created_at, retired_at, public_jwk, sealed) VALUES ('y', 'verify-only', ?, NULL, '{}', x'00')",
                TokenFixture.START.toString())).hasMessageContaining("CHECK");
    }

    // ---------------------------------------------------------------- at rest

    @Test
    void privateKeyIsNeverStoredInClear() throws Exception {
        ECKey key = f.primaryPrivateKey();
        byte[] d = key.getD().decode();
        byte[] pkcs8 = key.toECPrivateKey().getEncoded();
        byte[][] row = f.db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT public_jwk, sealed FROM signing_keys");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                return new byte[][] {rs.getString(1).getBytes(), rs.getBytes(2)};
            }
        });
        assertThat(new String(row[0])).doesNotContain("\"d\"");
        assertThat(indexOf(row[1], d)).isEqualTo(-1);
        assertThat(indexOf(row[1], pkcs8)).isEqualTo(-1);
        assertThat(new String(row[0])).doesNotContain(key.getD().toString());
        // The bytes of the private scalar appear nowhere in the database file either.
        for (String name : List.of("bulwark.db", "bulwark.db-wal")) {
            Path file = dir.resolve(name);
            if (java.nio.file.Files.exists(file)) {
                assertThat(indexOf(java.nio.file.Files.readAllBytes(file), d)).isEqualTo(-1);
            }
        }
    }

    @Test
    void retiringAKeyErasesItsPrivateKey() {
        String oldKid = f.service.primaryKeyId();
        f.service.rotateSigningKey();
        byte[][] opened = f.db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT public_jwk, sealed FROM signing_keys WHERE kid = ?")) {
                p.setString(1, oldKid);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return new byte[][] {f.cipher.open(rs.getBytes(2), SigningKeyStore.identity(oldKid)),
                            SigningKeyStore.content(SigningKeyStatus.VERIFY_ONLY, oldKid, rs.getString(1), new byte[0])};
                }
            }
        });
        // Only the binding is left: status, kid and public key, no private key bytes after it.
        assertThat(opened[0]).isEqualTo(opened[1]);
    }

    @Test
    void aPublicKeySwappedInTheDatabaseStopsTheLoad() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        sql("UPDATE signing_keys SET public_jwk = ?", attacker.toPublicJWK().toJSONString());
        assertThatThrownBy(f::restart).isInstanceOf(CryptoException.class).hasMessageContaining("refusing to load");
    }

    @Test
    void aKeyRowWrittenWithoutTheMasterKeyStopsTheLoad() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
        sql("INSERT INTO signing_keys(kid, status, created_at, retired_at, public_jwk, sealed) VALUES (?, 'verify-only', ?, ?, ?, ?)",
                attacker.getKeyID(), TokenFixture.START.toString(), TokenFixture.START.toString(), attacker.toPublicJWK().toJSONString(),
                new byte[64]);
        assertThatThrownBy(f::restart).isInstanceOf(CryptoException.class).hasMessageContaining("refusing to load");
    }

    @Test
    void aRowSealedForAnotherKidStopsTheLoad() {
        f.service.rotateSigningKey();
        // Swap the sealed values of the two rows: each opens only for its own status, kid and key.
        sql("UPDATE signing_keys SET sealed = (SELECT s.sealed FROM signing_keys s WHERE s.kid <> signing_keys.kid)");
        assertThatThrownBy(f::restart).isInstanceOf(CryptoException.class);
    }

    @Test
    void aVerifyOnlyRowPromotedToPrimaryStopsTheLoad() {
        String oldKid = f.service.primaryKeyId();
        f.service.rotateSigningKey();
        sql("DELETE FROM signing_keys WHERE status = 'primary'");
        sql("UPDATE signing_keys SET status = 'primary', retired_at = NULL WHERE kid = ?", oldKid);
        assertThatThrownBy(f::restart).isInstanceOf(CryptoException.class);
    }

    @Test
    void legacySecretBoxRowsStillVerifyAndAreResealedAsEnvelopesAtStartup() throws Exception {
        String before = f.accountToken("contoso", KeyName.KEY1);
        String oldKid = f.service.primaryKeyId();
        f.service.rotateSigningKey();
        String newKid = f.service.primaryKeyId();
        String after = f.accountToken("contoso", KeyName.KEY1);
        // Rewrite both rows the way Bulwark wrote them before the keyring: SecretBox, binding as associated data.
        SecretBox legacy = SecretBox.forPurpose(f.master, SigningKeyStore.PURPOSE);
        for (String[] row : sealedRows()) {
            String kid = row[0];
            String jwk = row[2];
            byte[] sealed = Base64.getDecoder().decode(row[3]);
            SigningKeyStatus status = SigningKeyStatus.parse(row[1]);
            byte[] secret = status == SigningKeyStatus.PRIMARY ? f.privateKeyOf(sealed, kid, jwk) : new byte[0];
            sql("UPDATE signing_keys SET sealed = ? WHERE kid = ?",
                    legacy.seal(secret, SigningKeyStore.associatedData(status, kid, jwk)), kid);
        }
        assertThat(sealedRows()).allSatisfy(r -> assertThat(Base64.getDecoder().decode(r[3])[0]).isEqualTo((byte) 0x01));

        f.restart();
        assertThat(f.service.primaryKeyId()).isEqualTo(newKid);
        assertThat(f.verify(before, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(f.verify(after, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
        assertThat(kidOf(f.accountToken("contoso", KeyName.KEY2))).isEqualTo(newKid);
        List<String[]> resealed = sealedRows();
        assertThat(resealed).extracting(r -> r[0]).containsExactlyInAnyOrder(oldKid, newKid);
        assertThat(resealed).allSatisfy(r -> assertThat(new String(Base64.getDecoder().decode(r[3]), 0, 3,
                java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("BWE"));

        f.restart();
        assertThat(sealedRows()).as("envelopes are left as they are").extracting(r -> String.join("|", r))
                .containsExactlyElementsOf(resealed.stream().map(r -> String.join("|", r)).toList());
        assertThat(f.verify(before, "contoso")).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void aLegacyRowUnderAnotherMasterKeyStopsTheLoadAndIsNotResealed() {
        byte[] k = new byte[32];
        k[0] = 2;
        SecretBox foreign = SecretBox.forPurpose(MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "other")),
                SigningKeyStore.PURPOSE);
        String[] row = sealedRows().get(0);
        byte[] forged = foreign.seal(new byte[0], SigningKeyStore.associatedData(SigningKeyStatus.PRIMARY, row[0], row[2]));
        sql("UPDATE signing_keys SET sealed = ? WHERE kid = ?", forged, row[0]);
        assertThatThrownBy(f::restart).isInstanceOf(CryptoException.class).hasMessageContaining("refusing to load");
        assertThat(Base64.getDecoder().decode(sealedRows().get(0)[3])).isEqualTo(forged);
    }

    /** kid, status, public JWK and base64 of sealed, oldest first (then by kid). */
    private List<String[]> sealedRows() {
        return f.db.read(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT kid, status, public_jwk, sealed FROM signing_keys ORDER BY created_at, kid");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), Base64.getEncoder().encodeToString(rs.getBytes(4))});
                }
            }
            return out;
        });
    }

    @Test
    void anotherMasterKeyCannotLoadTheKeyset() {
        byte[] k = new byte[32];
        k[0] = 1;
        MasterKey other = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "other"));
        assertThatThrownBy(() -> new TokenService(f.db, other, TokenFixture.cipherFor(other), f.clock, TokenFixture.ISSUER)).isInstanceOf(CryptoException.class);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
