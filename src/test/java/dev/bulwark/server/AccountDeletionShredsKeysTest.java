package dev.bulwark.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting an account shreds its keys: once Bulwark has stopped (so SQLite's WAL is checkpointed
 * into the database file), neither the keys in clear nor their stored envelopes are left in any file
 * under the home (SQLite's secure_delete overwrites freed pages), and an account re-created under
 * the same name gets new keys.
 */
class AccountDeletionShredsKeysTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @AfterAll
    static void stop() {
        if (bulwark != null) {
            bulwark.close();
        }
    }

    @Test
    void deletedKeysAndTheirEnvelopesAreNowhereOnDiskAndANewAccountOfTheSameNameGetsNewKeys() throws Exception {
        bulwark = new TestBulwark(home);
        String[] old = bulwark.createAccount("shred", "TextAnalytics");
        assertThat(bulwark.analyzeText("shred", old[0])).isEqualTo(200);
        List<byte[]> oldEnvelopes = StoredAccountKeys.envelopes(home, "shred");
        assertThat(oldEnvelopes).hasSize(2);
        // Data from another account stays, so the files are not simply empty.
        bulwark.createAccount("bystander", "TextAnalytics");

        assertThat(bulwark.management("DELETE", "/accounts/shred", null).status()).isEqualTo(200);
        bulwark.stop();

        // Latin-1 maps every byte to one char, so a byte sequence is found exactly where it occurs.
        List<String> needles = new ArrayList<>(List.of(old[0], old[1]));
        for (byte[] e : oldEnvelopes) {
            // The envelope's last 32 bytes: ciphertext and tag, unique to this row (its header is shared with others).
            needles.add(new String(e, e.length - 32, 32, StandardCharsets.ISO_8859_1));
        }
        int checked = 0;
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                checked++;
                for (String needle : needles) {
                    assertThat(content.contains(needle)).as(f + " still holds " + HexFormat.of().formatHex(
                            needle.getBytes(StandardCharsets.ISO_8859_1))).isFalse();
                }
            }
        }
        assertThat(checked).as("the home holds the database at least").isPositive();

        bulwark.start();
        String[] renewed = bulwark.createAccount("shred", "TextAnalytics");
        assertThat(renewed).doesNotContain(old[0], old[1]);
        assertThat(bulwark.analyzeText("shred", old[0])).isEqualTo(401);
        assertThat(bulwark.analyzeText("shred", old[1])).isEqualTo(401);
        assertThat(bulwark.analyzeText("shred", renewed[0])).isEqualTo(200);
    }
}
