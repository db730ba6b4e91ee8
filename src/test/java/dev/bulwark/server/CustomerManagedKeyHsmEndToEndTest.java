package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.crypto.pkcs11.SoftHsm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer-managed keys in a PKCS#11 HSM (SoftHSM2), end to end: Bulwark opens the token from its
 * settings (the PIN as an env: reference), an account is encrypted under an HSM key, the key deleted
 * from another process refuses every read within the check interval, putting the key back restores
 * everything, and rotation plus rewrap moves the envelopes to the new version.
 */
class CustomerManagedKeyHsmEndToEndTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static SoftHsm hsm;

    @BeforeAll
    static void start() {
        hsm = SoftHsm.get();
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_PKCS11_LIBRARY", hsm.library().toString());
        env.put("BULWARK_PKCS11_SLOT", Long.toString(hsm.slot()));
        // The PIN is a reference even in the environment, resolved against the same map.
        env.put("BULWARK_PKCS11_PIN", "env:HSM_TEST_PIN");
        env.put("HSM_TEST_PIN", SoftHsm.PIN);
        env.put("BULWARK_CUSTOMER_KEY_CHECK_SECONDS", "1");
        bulwark = new TestBulwark(home, env);
    }

    @AfterAll
    static void stop() {
        if (bulwark != null) {
            bulwark.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String encryption(String keyName) {
        return "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"" + keyName
                + "\",\"keyVaultUri\":\"pkcs11:token=bulwark-test\"}}";
    }

    private static TestBulwark.Response createAccount(String name, String keyName) {
        return bulwark.management("PUT", "/accounts/" + name, "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\","
                + "\"properties\":{\"encryption\":" + encryption(keyName) + "}}");
    }

    private static TestBulwark.Response listKeys(String account) {
        return bulwark.management("POST", "/accounts/" + account + "/listKeys", null);
    }

    /** Polls (every 200 ms, up to {@link #DEADLINE}) until the condition holds; fails with the description otherwise. */
    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + DEADLINE + ": " + what);
            }
            Thread.sleep(200);
        }
    }

    /** The SoftHSM2 token directory, from the configuration file the fixture wrote. */
    private static Path tokenDir() throws Exception {
        for (String line : Files.readAllLines(Path.of(System.getenv("SOFTHSM2_CONF")))) {
            if (line.startsWith("directories.tokendir")) {
                return Path.of(line.substring(line.indexOf('=') + 1).strip());
            }
        }
        throw new AssertionError("no directories.tokendir in " + System.getenv("SOFTHSM2_CONF"));
    }

    private static Map<Path, byte[]> filesUnder(Path dir) throws Exception {
        Map<Path, byte[]> out = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(f, Files.readAllBytes(f));
            }
        }
        return out;
    }

    @Test
    void anHsmKeyDeletedFromAnotherProcessRefusesEveryReadAndPuttingItBackLosesNothing() throws Exception {
        String keyName = unique("hsm-revoke");
        hsm.provider().createKey(keyName);
        TestBulwark.Response created = createAccount("hsmrevoke", keyName);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/properties/encryption/keyVaultProperties/keyVaultUri").asText()).startsWith("pkcs11:");
        JsonNode keys = listKeys("hsmrevoke").json();
        String key1 = keys.get("key1").asText();
        assertThat(bulwark.analyzeText("hsmrevoke", key1)).isEqualTo(200);
        for (String envelope : StoredAccountKeys.envelopesAsText(home, "hsmrevoke")) {
            assertThat(envelope).startsWith("BWE").contains(keyName);
        }

        // A backup of the token as an operator would take one: SoftHSM2 keeps each object in its own file.
        Path tokens = tokenDir();
        Map<Path, byte[]> backup = filesUnder(tokens);
        hsm.deleteFromAnotherProcess(keyName + ".1");
        Map<Path, byte[]> after = filesUnder(tokens);
        List<Path> gone = backup.keySet().stream().filter(p -> !after.containsKey(p)).toList();
        // The key's object file and its lock file.
        assertThat(gone).as("the deleted key's files").filteredOn(f -> f.toString().endsWith(".object")).hasSize(1);

        eventually("listKeys refused", () -> listKeys("hsmrevoke").status() == 403);
        TestBulwark.Response refused = listKeys("hsmrevoke");
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");
        assertThat(refused.body()).doesNotContain(key1);
        eventually("the data plane refuses the account", () -> bulwark.analyzeText("hsmrevoke", key1) == 403);

        // Restoring the token's files brings the key back under the running process. token.object goes back
        // too: SoftHSM2 re-reads a token's object files only when that file's generation counter changes.
        Path tokenOfKey = gone.getFirst().getParent();
        Map<Path, byte[]> now = filesUnder(tokenOfKey);
        for (Map.Entry<Path, byte[]> e : backup.entrySet()) {
            if (e.getKey().getParent().equals(tokenOfKey) && !Arrays.equals(e.getValue(), now.get(e.getKey()))) {
                Files.write(e.getKey(), e.getValue());
            }
        }
        eventually("listKeys restored", () -> listKeys("hsmrevoke").status() == 200);
        assertThat(listKeys("hsmrevoke").json()).as("the same keys: nothing lost").isEqualTo(keys);
        eventually("the data plane accepts the account again", () -> bulwark.analyzeText("hsmrevoke", key1) == 200);
    }

    @Test
    void rotationInTheHsmThenRewrapMovesEnvelopesToTheNewVersion() throws Exception {
        String keyName = unique("hsm-rotate");
        hsm.provider().createKey(keyName);
        assertThat(createAccount("hsmrotate", keyName).status()).isEqualTo(201);
        JsonNode keys = listKeys("hsmrotate").json();
        for (String envelope : StoredAccountKeys.envelopesAsText(home, "hsmrotate")) {
            assertThat(envelope).contains(keyName);
        }
        String v2 = hsm.provider().rotate(keyName).version();
        assertThat(v2).isEqualTo("2");
        // Bulwark's provider re-reads the token's labels at most a second later; until then there is nothing to rewrap.
        eventually("rewrap moves both keys", () -> {
            TestBulwark.Response r = bulwark.management("POST", "/accounts/hsmrotate/rewrap", null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().get("rewrapped").asInt() == 2;
        });

        // Version 1 can go: everything is under version 2 now.
        hsm.deleteFromAnotherProcess(keyName + ".1");
        assertThat(listKeys("hsmrotate").json()).isEqualTo(keys);
        assertThat(bulwark.analyzeText("hsmrotate", keys.get("key1").asText())).isEqualTo(200);

        hsm.deleteFromAnotherProcess(keyName + ".2");
        eventually("listKeys refused without any version", () -> listKeys("hsmrotate").status() == 403);
        eventually("the data plane refuses too", () -> bulwark.analyzeText("hsmrotate", keys.get("key1").asText()) == 403);
    }
}
