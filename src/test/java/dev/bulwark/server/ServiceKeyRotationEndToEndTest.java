package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating the service key derived from the master key: raising BULWARK_SERVICE_KEY_VERSION makes
 * the new version wrap new data keys, every older version still opens what it wrapped, and rewrap
 * moves an account's data keys to the new version without losing anything.
 */
class ServiceKeyRotationEndToEndTest {
    /** How the header names a version of the service key: its name, then the length-prefixed version. */
    private static final String V1 = "service\u0002v1";
    private static final String V2 = "service\u0002v2";
    @TempDir
    Path home;

    @Test
    void aNewServiceKeyVersionWrapsNewDataAndRewrapMovesOldData() throws Exception {
        Map<String, String> env = new HashMap<>();
        JsonNode keys;
        try (TestBulwark v1 = new TestBulwark(home, env)) {
            v1.createAccount("rotating", "TextAnalytics");
            keys = v1.management("POST", "/accounts/rotating/listKeys", null).json();
        }
        for (String envelope : StoredAccountKeys.envelopesAsText(home, "rotating")) {
            assertThat(envelope).contains(V1);
        }
        env.put("BULWARK_SERVICE_KEY_VERSION", "2");
        try (TestBulwark v2 = new TestBulwark(home, env)) {
            assertThat(v2.management("POST", "/accounts/rotating/listKeys", null).json()).as("v1 envelopes open").isEqualTo(keys);
            v2.createAccount("fresh", "TextAnalytics");
            for (String envelope : StoredAccountKeys.envelopesAsText(home, "fresh")) {
                assertThat(envelope).contains(V2).doesNotContain(V1);
            }
            assertThat(v2.management("POST", "/accounts/rotating/rewrap", null).json().get("rewrapped").asInt()).isEqualTo(2);
            for (String envelope : StoredAccountKeys.envelopesAsText(home, "rotating")) {
                assertThat(envelope).contains(V2).doesNotContain(V1);
            }
            assertThat(v2.management("POST", "/accounts/rotating/listKeys", null).json()).isEqualTo(keys);
            assertThat(v2.analyzeText("rotating", keys.get("key1").asText())).isEqualTo(200);
        }
    }
}
