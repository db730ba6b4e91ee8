package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.account.AccountKeyCipher;
import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.SecretBox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before the keyring (account keys as SecretBox ciphertexts) is upgraded at
 * startup: the same keys come back from listKeys, the rows become envelopes, and clients using the
 * old keys keep working.
 */
class LegacyAccountKeyUpgradeTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @AfterAll
    static void stop() {
        if (bulwark != null) {
            bulwark.close();
        }
    }

    private static Connection db() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + home.resolve("bulwark.db"));
    }

    @Test
    void legacyRowsAreReadResealedAsEnvelopesAndTheKeysKeepWorking() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String masterText = Base64.getEncoder().encodeToString(raw);
        bulwark = new TestBulwark(home, Map.of("BULWARK_MASTER_KEY", masterText));
        String[] generated = bulwark.createAccount("legacy", "TextAnalytics");
        bulwark.stop();

        // Rewrite the rows as the pre-keyring code stored them: SecretBox under the same master key.
        MasterKey master = MasterKey.from(new SecretValue(masterText, "test"));
        SecretBox legacy = SecretBox.forPurpose(master, AccountKeyCipher.ENCRYPTION_PURPOSE);
        KeyedDigest digest = KeyedDigest.forPurpose(master, AccountKeyCipher.DIGEST_PURPOSE);
        String key1 = AccountKeyFormat.generate();
        String key2 = AccountKeyFormat.generate();
        try (Connection c = db();
             PreparedStatement p = c.prepareStatement("UPDATE account_keys SET ciphertext = ?, digest = ? WHERE account = ? AND key_name = ?")) {
            for (String[] row : new String[][] {{"KEY1", key1}, {"KEY2", key2}}) {
                p.setBytes(1, legacy.seal(row[1].getBytes(StandardCharsets.US_ASCII), "account-key|legacy|" + row[0]));
                p.setBytes(2, digest.digestAscii(row[1]));
                p.setString(3, "legacy");
                p.setString(4, row[0]);
                assertThat(p.executeUpdate()).as(row[0]).isEqualTo(1);
            }
        }
        assertThat(storedRows()).allSatisfy(r -> assertThat(r).doesNotStartWith("BWE"));

        bulwark.start();
        JsonNode keys = bulwark.management("POST", "/accounts/legacy/listKeys", null).json();
        assertThat(keys.get("key1").asText()).isEqualTo(key1);
        assertThat(keys.get("key2").asText()).isEqualTo(key2);
        assertThat(storedRows()).as("re-sealed at startup").hasSize(2).allSatisfy(r -> assertThat(r).startsWith("BWE"));
        assertThat(bulwark.analyzeText("legacy", key1)).isEqualTo(200);
        assertThat(bulwark.analyzeText("legacy", key2)).isEqualTo(200);
        assertThat(bulwark.analyzeText("legacy", generated[0])).as("the keys the rows were overwritten from are gone").isEqualTo(401);
    }

    private static java.util.List<String> storedRows() throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db();
             PreparedStatement p = c.prepareStatement("SELECT ciphertext FROM account_keys WHERE account = 'legacy'");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
