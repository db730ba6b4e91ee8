package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.audit.AuditQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer-managed keys with the built-in vault, end to end over TLS: an account encrypted under a
 * vault key, revoked (every read refused at once, on the management and the data plane, audited),
 * restored (nothing lost), rotated and re-wrapped, turned off; and no plaintext key anywhere on disk.
 */
class CustomerManagedKeyEndToEndTest {
    private static final String V = "?api-version=7.5";
    @TempDir
    static Path home;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() {
        bulwark = new TestBulwark(home);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static String createVaultKey(String name) {
        TestBulwark.Response r = bulwark.management("POST", "/keys/" + name + "/create" + V, "{\"kty\":\"RSA\",\"key_size\":2048}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String kid = r.json().at("/key/kid").asText();
        return kid.substring(kid.lastIndexOf('/') + 1);
    }

    private static String encryption(String keyName, String version) {
        return "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"" + keyName + "\",\"keyVersion\":\""
                + version + "\",\"keyVaultUri\":\"" + bulwark.dataUrl() + "/\"}}";
    }

    private static TestBulwark.Response createAccount(String name, String encryption) {
        return bulwark.management("PUT", "/accounts/" + name, "{\"location\":\"westeurope\",\"kind\":\"TextAnalytics\","
                + "\"properties\":{\"encryption\":" + encryption + "}}");
    }

    private static TestBulwark.Response listKeys(String account) {
        return bulwark.management("POST", "/accounts/" + account + "/listKeys", null);
    }

    private static TestBulwark.Response setKeyEnabled(String name, String version, boolean enabled) {
        TestBulwark.Response r = bulwark.management("PATCH", "/keys/" + name + "/" + version + V,
                "{\"attributes\":{\"enabled\":" + enabled + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    /** The stored envelopes of an account's keys, read straight from the database file. */
    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void revokingTheVaultKeyRefusesEveryReadAtOnceAndRestoringItLosesNothing() throws Exception {
        String version = createVaultKey("cmk-revoke");
        TestBulwark.Response created = createAccount("cmkrevoke", encryption("cmk-revoke", ""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/properties/encryption/keySource").asText()).isEqualTo("Microsoft.KeyVault");
        assertThat(created.json().at("/properties/encryption/keyVaultProperties/keyName").asText()).isEqualTo("cmk-revoke");
        JsonNode keys = listKeys("cmkrevoke").json();
        String key1 = keys.get("key1").asText();
        assertThat(bulwark.analyzeText("cmkrevoke", key1)).isEqualTo(200);
        for (byte[] envelope : StoredAccountKeys.envelopes(home, "cmkrevoke")) {
            assertThat(latin1(envelope)).startsWith("BWE").contains("cmk-revoke").contains(version);
        }

        setKeyEnabled("cmk-revoke", version, false);
        TestBulwark.Response refused = listKeys("cmkrevoke");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");
        assertThat(refused.body()).doesNotContain(key1);
        assertThat(bulwark.management("POST", "/accounts/cmkrevoke/regenerateKey", "{\"keyName\":\"Key1\"}").status()).isEqualTo(403);
        assertThat(bulwark.analyzeText("cmkrevoke", key1)).as("the data plane refuses the account too").isEqualTo(403);
        bulwark.bulwark().audit().flush();
        var records = bulwark.bulwark().audit().query(AuditQuery.latest(50));
        assertThat(records).anySatisfy(r -> {
            assertThat(r.record().operationName()).isEqualTo("DataPlane/CustomerManagedKey");
            assertThat(r.record().resultSignature()).isEqualTo("403");
        });
        assertThat(records).anySatisfy(r -> {
            assertThat(r.record().operationName()).isEqualTo("Microsoft.CognitiveServices/accounts/listKeys/action");
            assertThat(r.record().resultSignature()).isEqualTo("403");
        });

        setKeyEnabled("cmk-revoke", version, true);
        JsonNode restored = listKeys("cmkrevoke").json();
        assertThat(restored.get("key1").asText()).isEqualTo(key1);
        assertThat(restored.get("key2").asText()).isEqualTo(keys.get("key2").asText());
        assertThat(bulwark.analyzeText("cmkrevoke", key1)).isEqualTo(200);
    }

    @Test
    void deletingTheVaultKeyRevokesAndRecoveringItRestores() {
        createVaultKey("cmk-delete");
        assertThat(createAccount("cmkdelete", encryption("cmk-delete", "")).status()).isEqualTo(201);
        String key1 = listKeys("cmkdelete").json().get("key1").asText();
        assertThat(bulwark.management("DELETE", "/keys/cmk-delete" + V, null).status()).isEqualTo(200);
        assertThat(listKeys("cmkdelete").status()).isEqualTo(403);
        assertThat(bulwark.analyzeText("cmkdelete", key1)).isEqualTo(403);
        assertThat(bulwark.management("POST", "/deletedkeys/cmk-delete/recover" + V, null).status()).isEqualTo(200);
        assertThat(listKeys("cmkdelete").json().get("key1").asText()).isEqualTo(key1);
        assertThat(bulwark.analyzeText("cmkdelete", key1)).isEqualTo(200);
    }

    @Test
    void rotationThenRewrapMovesDataKeysToTheNewVersionSoTheOldOneCanBeDisabled() throws Exception {
        String v1 = createVaultKey("cmk-rotate");
        assertThat(createAccount("cmkrotate", encryption("cmk-rotate", "")).status()).isEqualTo(201);
        JsonNode keys = listKeys("cmkrotate").json();
        TestBulwark.Response rotated = bulwark.management("POST", "/keys/cmk-rotate/rotate" + V, null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String kid = rotated.json().at("/key/kid").asText();
        String v2 = kid.substring(kid.lastIndexOf('/') + 1);
        assertThat(v2).isNotEqualTo(v1);
        for (byte[] envelope : StoredAccountKeys.envelopes(home, "cmkrotate")) {
            assertThat(latin1(envelope)).as("rotation alone rewrites nothing").contains(v1);
        }

        TestBulwark.Response rewrap = bulwark.management("POST", "/accounts/cmkrotate/rewrap", null);
        assertThat(rewrap.status()).as(rewrap.body()).isEqualTo(200);
        assertThat(rewrap.json().get("rewrapped").asInt()).isEqualTo(2);
        for (byte[] envelope : StoredAccountKeys.envelopes(home, "cmkrotate")) {
            assertThat(latin1(envelope)).contains(v2).doesNotContain(v1);
        }
        assertThat(bulwark.management("POST", "/accounts/cmkrotate/rewrap", null).json().get("rewrapped").asInt())
                .as("a second rewrap has nothing to do").isZero();

        setKeyEnabled("cmk-rotate", v1, false);
        assertThat(listKeys("cmkrotate").json()).isEqualTo(keys);
        assertThat(bulwark.analyzeText("cmkrotate", keys.get("key1").asText())).isEqualTo(200);
    }

    @Test
    void turningCustomerKeysOffFallsBackToServiceKeysAndTheVaultKeyNoLongerMatters() throws Exception {
        String version = createVaultKey("cmk-off");
        assertThat(createAccount("cmkoff", encryption("cmk-off", version)).status()).isEqualTo(201);
        JsonNode keys = listKeys("cmkoff").json();
        TestBulwark.Response off = bulwark.management("PATCH", "/accounts/cmkoff",
                "{\"properties\":{\"encryption\":{\"keySource\":\"Microsoft.CognitiveServices\"}}}");
        assertThat(off.status()).as(off.body()).isEqualTo(200);
        assertThat(off.json().at("/properties/encryption/keySource").asText()).isEqualTo("Microsoft.CognitiveServices");
        for (byte[] envelope : StoredAccountKeys.envelopes(home, "cmkoff")) {
            assertThat(latin1(envelope)).doesNotContain("cmk-off");
        }
        setKeyEnabled("cmk-off", version, false);
        assertThat(listKeys("cmkoff").json()).isEqualTo(keys);

        // And on again, onto a key that is usable: the data moves under it in the same request.
        String other = createVaultKey("cmk-on");
        TestBulwark.Response on = bulwark.management("PATCH", "/accounts/cmkoff",
                "{\"properties\":{\"encryption\":" + encryption("cmk-on", other) + "}}");
        assertThat(on.status()).as(on.body()).isEqualTo(200);
        for (byte[] envelope : StoredAccountKeys.envelopes(home, "cmkoff")) {
            assertThat(latin1(envelope)).contains("cmk-on").contains(other);
        }
        assertThat(listKeys("cmkoff").json()).isEqualTo(keys);
    }

    @Test
    void removingTheIdentitysGrantOnTheKeyRevokesAndAssigningItAgainRestores() {
        createVaultKey("cmk-grant");
        TestBulwark.Response identity = bulwark.management("PUT", "/identities/cmk-grant-identity", "");
        assertThat(identity.status()).as(identity.body()).isEqualTo(201);
        String clientId = identity.json().at("/properties/clientId").asText();
        String withIdentity = "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"cmk-grant\","
                + "\"keyVaultUri\":\"" + bulwark.dataUrl() + "/\",\"identityClientId\":\"" + clientId + "\"}}";
        TestBulwark.Response ungranted = createAccount("cmkgrant", withIdentity);
        assertThat(ungranted.status()).as("no grant yet: refused when set").isEqualTo(400);
        assertThat(ungranted.json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");

        String assignment = java.util.UUID.randomUUID().toString();
        String grant = "{\"properties\":{\"roleDefinitionId\":\"e147488a-f6f5-4113-8e2d-b22465e65bf6\",\"principalId\":\""
                + clientId + "\",\"principalType\":\"ServicePrincipal\",\"scope\":\"/vault/keys/cmk-grant\"}}";
        assertThat(bulwark.management("PUT", "/roleAssignments/" + assignment, grant).status()).isIn(200, 201);
        TestBulwark.Response created = createAccount("cmkgrant", withIdentity);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().at("/properties/encryption/keyVaultProperties/identityClientId").asText()).isEqualTo(clientId);
        String key1 = listKeys("cmkgrant").json().get("key1").asText();
        assertThat(bulwark.analyzeText("cmkgrant", key1)).isEqualTo(200);

        assertThat(bulwark.management("DELETE", "/roleAssignments/" + assignment, null).status()).isEqualTo(200);
        assertThat(listKeys("cmkgrant").json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");
        assertThat(bulwark.analyzeText("cmkgrant", key1)).isEqualTo(403);

        assertThat(bulwark.management("PUT", "/roleAssignments/" + java.util.UUID.randomUUID(), grant).status()).isIn(200, 201);
        assertThat(listKeys("cmkgrant").json().get("key1").asText()).isEqualTo(key1);
        assertThat(bulwark.analyzeText("cmkgrant", key1)).isEqualTo(200);
    }

    @Test
    void anUnusableOrForeignKeyIsRefusedWhenItIsSetAndNothingIsStored() {
        String version = createVaultKey("cmk-disabled");
        setKeyEnabled("cmk-disabled", version, false);
        TestBulwark.Response disabled = createAccount("cmkbad", encryption("cmk-disabled", ""));
        assertThat(disabled.status()).isEqualTo(400);
        assertThat(disabled.json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");
        TestBulwark.Response missing = createAccount("cmkbad", encryption("no-such-key", ""));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/code").asText()).isEqualTo("CustomerManagedKeyAccessDenied");
        TestBulwark.Response foreign = createAccount("cmkbad", "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":"
                + "{\"keyName\":\"k\",\"keyVaultUri\":\"https://contoso.vault.azure.net/\"}}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().at("/error/message").asText()).contains("built-in vault");
        TestBulwark.Response noHsm = createAccount("cmkbad", "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":"
                + "{\"keyName\":\"k\",\"keyVaultUri\":\"pkcs11:token=bulwark\"}}");
        assertThat(noHsm.status()).isEqualTo(400);
        assertThat(noHsm.json().at("/error/message").asText()).contains("PKCS#11");
        for (String bad : new String[] {"{\"keySource\":\"Microsoft.Storage\"}", "{\"keySource\":\"Microsoft.KeyVault\"}",
                "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"a b\",\"keyVaultUri\":\"https://x/\"}}",
                "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"k\",\"keyVaultUri\":\"http://x/\"}}",
                "{\"keySource\":\"Microsoft.KeyVault\",\"keyVaultProperties\":{\"keyName\":\"k\",\"keyVaultUri\":\"https://x/\",\"extra\":1}}",
                "[]"}) {
            TestBulwark.Response r = createAccount("cmkbad", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().at("/error/code").asText()).as(bad).isEqualTo("InvalidEncryption");
        }
        assertThat(bulwark.management("GET", "/accounts/cmkbad", null).status()).isEqualTo(404);
    }

    @Test
    void noAccountKeyOrVaultSecretIsStoredInClearAnywhereUnderTheHome() throws Exception {
        createVaultKey("cmk-canary");
        assertThat(createAccount("cmkcanary", encryption("cmk-canary", "")).status()).isEqualTo(201);
        JsonNode keys = listKeys("cmkcanary").json();
        String regenerated = bulwark.management("POST", "/accounts/cmkcanary/regenerateKey", "{\"keyName\":\"Key2\"}").json()
                .get("key2").asText();
        String canary = "canary-secret-" + java.util.UUID.randomUUID();
        assertThat(bulwark.management("PUT", "/secrets/canary" + V, "{\"value\":\"" + canary + "\"}").status()).isEqualTo(200);
        List<String> needles = List.of(keys.get("key1").asText(), keys.get("key2").asText(), regenerated, canary);
        bulwark.bulwark().audit().flush();
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = latin1(Files.readAllBytes(f));
                for (String needle : needles) {
                    assertThat(content).as(f + " holds a secret in clear").doesNotContain(needle);
                }
            }
        }
    }
}
