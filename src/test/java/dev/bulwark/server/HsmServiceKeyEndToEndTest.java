package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.config.ConfigException;
import dev.bulwark.config.Settings;
import dev.bulwark.crypto.pkcs11.SoftHsm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service (outer-layer) key in the HSM: envelopes written by a Bulwark started with
 * {@code BULWARK_SERVICE_KEY_PKCS11} name the HSM key; envelopes written before the move still
 * open, and rewrap moves them under the HSM root; a missing HSM key stops the boot.
 */
class HsmServiceKeyEndToEndTest {
    @TempDir
    Path home;

    private static Map<String, String> hsmEnv(SoftHsm hsm) {
        Map<String, String> env = new HashMap<>();
        env.put("BULWARK_PKCS11_LIBRARY", hsm.library().toString());
        env.put("BULWARK_PKCS11_SLOT", Long.toString(hsm.slot()));
        env.put("BULWARK_PKCS11_PIN", "env:HSM_TEST_PIN");
        env.put("HSM_TEST_PIN", SoftHsm.PIN);
        // One master key across restarts of this test's Bulwark (its home is reused).
        env.put("BULWARK_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'B'));
        return env;
    }

    @Test
    void envelopesMoveUnderTheHsmRootAndOldOnesStillOpen() throws Exception {
        SoftHsm hsm = SoftHsm.get();
        String root = "root-" + UUID.randomUUID().toString().substring(0, 8);
        hsm.provider().createKey(root);
        Map<String, String> env = hsmEnv(hsm);

        JsonNode before;
        try (TestBulwark first = new TestBulwark(home, env)) {
            first.createAccount("moved", "TextAnalytics");
            before = first.management("POST", "/accounts/moved/listKeys", null).json();
        }
        for (String envelope : StoredAccountKeys.envelopesAsText(home, "moved")) {
            assertThat(envelope).contains("service").doesNotContain(root);
        }

        env.put("BULWARK_SERVICE_KEY_PKCS11", root);
        try (TestBulwark second = new TestBulwark(home, env)) {
            assertThat(second.management("POST", "/accounts/moved/listKeys", null).json()).as("old envelopes open").isEqualTo(before);
            TestBulwark.Response rewrap = second.management("POST", "/accounts/moved/rewrap", null);
            assertThat(rewrap.json().get("rewrapped").asInt()).as(rewrap.body()).isEqualTo(2);
            for (String envelope : StoredAccountKeys.envelopesAsText(home, "moved")) {
                assertThat(envelope).contains("pkcs11").contains(root);
            }
            assertThat(second.management("POST", "/accounts/moved/listKeys", null).json()).isEqualTo(before);
            second.createAccount("born-in-hsm", "TextAnalytics");
            for (String envelope : StoredAccountKeys.envelopesAsText(home, "born-in-hsm")) {
                assertThat(envelope).contains("pkcs11").contains(root);
            }
            String canary = "hsm-root-canary-" + UUID.randomUUID();
            assertThat(second.management("PUT", "/secrets/hsm-canary?api-version=7.5", "{\"value\":\"" + canary + "\"}").status())
                    .isEqualTo(200);
            assertThat(second.management("GET", "/secrets/hsm-canary?api-version=7.5", null).json().get("value").asText())
                    .isEqualTo(canary);
        }
    }

    @Test
    void aServiceKeyTheHsmDoesNotHaveStopsTheBoot() {
        Map<String, String> env = hsmEnv(SoftHsm.get());
        env.put("BULWARK_HOME", home.toString());
        env.put("BULWARK_DATA_LISTEN", "127.0.0.1:0");
        env.put("BULWARK_MANAGEMENT_LISTEN", "127.0.0.1:0");
        env.put("BULWARK_SERVICE_KEY_PKCS11", "no-such-root-key");
        assertThatThrownBy(() -> Bulwark.start(Settings.load(null, env)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no usable key 'no-such-root-key'")
                .hasMessageNotContaining(SoftHsm.PIN);
    }
}
