package dev.bulwark.server;

import dev.bulwark.audit.AuditQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Envelopes moved between rows in the database (another account's, or the other slot's) do not
 * decrypt, because the account and slot are bound into each envelope: listKeys fails with a plain
 * 500 that reveals nothing, is audited, and never hands out the other row's key.
 */
class AccountKeyTamperTest {
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

    private static byte[] envelope(Connection c, String account, String slot) throws Exception {
        try (PreparedStatement p = c.prepareStatement("SELECT ciphertext FROM account_keys WHERE account = ? AND key_name = ?")) {
            p.setString(1, account);
            p.setString(2, slot);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as(account + " " + slot).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void overwrite(Connection c, String account, String slot, byte[] envelope) throws Exception {
        try (PreparedStatement p = c.prepareStatement("UPDATE account_keys SET ciphertext = ? WHERE account = ? AND key_name = ?")) {
            p.setBytes(1, envelope);
            p.setString(2, account);
            p.setString(3, slot);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
    }

    private static void assertCleanFailure(TestBulwark.Response r, String... secrets) {
        assertThat(r.status()).as(r.body()).isEqualTo(500);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("InternalServerError");
        assertThat(r.json().at("/error/message").asText()).startsWith("Internal error. Request id:");
        assertThat(r.json().has("key1")).isFalse();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("decrypt").doesNotContain("\tat ");
        for (String s : secrets) {
            assertThat(r.body()).doesNotContain(s);
        }
    }

    @Test
    void envelopesMovedBetweenAccountsOrSlotsNeverDecryptAndTheFailureRevealsNothing() throws Exception {
        bulwark = new TestBulwark(home);
        String[] a = bulwark.createAccount("tamper-a", "TextAnalytics");
        String[] b = bulwark.createAccount("tamper-b", "TextAnalytics");
        bulwark.stop();
        try (Connection c = db()) {
            byte[] aKey1 = envelope(c, "tamper-a", "KEY1");
            overwrite(c, "tamper-b", "KEY1", aKey1);
            overwrite(c, "tamper-a", "KEY2", aKey1);
        }

        bulwark.start();
        TestBulwark.Response bKeys = bulwark.management("POST", "/accounts/tamper-b/listKeys", null);
        assertCleanFailure(bKeys, a[0], a[1], b[0], b[1]);
        TestBulwark.Response aKeys = bulwark.management("POST", "/accounts/tamper-a/listKeys", null);
        assertCleanFailure(aKeys, a[0], a[1]);

        // The failures are in the audit log, as every other management call is.
        bulwark.bulwark().audit().flush();
        var records = bulwark.bulwark().audit().query(AuditQuery.latest(20));
        assertThat(records).filteredOn(r -> r.record().operationName().equals("Microsoft.CognitiveServices/accounts/listKeys/action")
                && r.record().resultSignature().equals("500")).hasSize(2);

        // Rows that were not touched still work: the damage stays where it was done.
        TestBulwark.Response other = bulwark.management("GET", "/accounts/tamper-b", null);
        assertThat(other.status()).isEqualTo(200);
    }
}
