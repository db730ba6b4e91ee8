package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark account update --key-source ...} and {@code bulwark account rewrap} with a built-in vault key, against a real Bulwark. */
class CustomerManagedKeyCliEndToEndTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static Path caCert;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        bulwark = new TestBulwark(home);
        caCert = home.resolve("ca.pem");
        Files.writeString(caCert, bulwark.bulwark().tls().certificatePem());
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    @AfterEach
    void resetEnvironment() {
        ClientOptions.environment = System.getenv();
    }

    private static Result cliAt(String endpoint, String... args) {
        Map<String, String> e = new HashMap<>();
        e.put("BULWARK_ENDPOINT", endpoint);
        e.put("BULWARK_ADMIN_TOKEN", TestBulwark.ADMIN_TOKEN);
        e.put("BULWARK_CA_CERT", caCert.toString());
        ClientOptions.environment = e;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result cli(String... args) {
        return cliAt(bulwark.managementUrl(), args);
    }

    private static JsonNode encryption(String account) {
        return bulwark.management("GET", "/accounts/" + account, null).json().at("/properties/encryption");
    }

    @Test
    void switchToAVaultKeyRotateRewrapAndSwitchBack() throws Exception {
        String[] keys = bulwark.createAccount("clicmk", "TextAnalytics");
        String vaultUri = bulwark.dataUrl() + "/";

        Result created = cli("vault", "key", "create", "cli-cmk");
        assertThat(created.exit()).as(created.err()).isZero();

        Result on = cli("account", "update", "clicmk", "--key-source", "Microsoft.KeyVault", "--key-name", "cli-cmk",
                "--key-vault-uri", vaultUri);
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(on.out()).contains("Encryption: Microsoft.KeyVault key cli-cmk version (newest) at " + vaultUri);
        JsonNode e = encryption("clicmk");
        assertThat(e.path("keySource").asText()).isEqualTo("Microsoft.KeyVault");
        assertThat(e.at("/keyVaultProperties/keyName").asText()).isEqualTo("cli-cmk");
        assertThat(e.at("/keyVaultProperties/keyVaultUri").asText()).isEqualTo(vaultUri);

        Result show = cli("account", "show", "clicmk");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("clicmk").contains("Encryption: Microsoft.KeyVault key cli-cmk version (newest)");

        Result rotated = cli("vault", "key", "rotate", "cli-cmk");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        Result rewrap = cli("account", "rewrap", "clicmk");
        assertThat(rewrap.exit()).as(rewrap.err()).isZero();
        assertThat(rewrap.out()).isEqualToIgnoringNewLines("Re-wrapped 2 data keys of account clicmk.");
        Result again = cli("account", "rewrap", "clicmk", "-o", "json");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.json().get("rewrapped").asInt()).as("nothing left on the old version").isZero();

        JsonNode listed = cli("account", "keys", "list", "clicmk", "-o", "json").json();
        assertThat(listed.get("key1").asText()).isEqualTo(keys[0]);
        assertThat(listed.get("key2").asText()).isEqualTo(keys[1]);

        Result off = cli("account", "update", "clicmk", "--key-source", "Microsoft.CognitiveServices");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(off.out()).contains("Encryption: Microsoft.CognitiveServices");
        assertThat(encryption("clicmk").path("keySource").asText()).isEqualTo("Microsoft.CognitiveServices");
        assertThat(encryption("clicmk").has("keyVaultProperties")).isFalse();
        assertThat(cli("account", "show", "clicmk").out()).contains("Encryption: Microsoft.CognitiveServices (service-managed keys)");
        assertThat(cli("account", "keys", "list", "clicmk", "-o", "json").json().get("key1").asText()).isEqualTo(keys[0]);
    }

    @Test
    void pinnedVersionIsSent() throws Exception {
        bulwark.createAccount("clipin", "TextAnalytics");
        Result created = cli("vault", "key", "create", "cli-pin", "--kty", "oct", "-o", "json");
        assertThat(created.exit()).as(created.err()).isZero();
        String kid = created.json().at("/key/kid").asText();
        String version = kid.substring(kid.lastIndexOf('/') + 1);

        Result on = cli("account", "update", "clipin", "--key-source", "Microsoft.KeyVault", "--key-name", "cli-pin",
                "--key-version", version, "--key-vault-uri", bulwark.dataUrl() + "/");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(on.out()).contains("version " + version);
        assertThat(encryption("clipin").at("/keyVaultProperties/keyVersion").asText()).isEqualTo(version);
    }

    @Test
    void incompleteKeyFlagsAreRefusedBeforeAnyRequest() throws Exception {
        // A port nothing listens on: a request would fail with exit 3 ("cannot reach"), a usage error exits 2 first.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String nowhere = "https://127.0.0.1:" + closedPort;
        assertThat(cliAt(nowhere, "account", "show", "x").exit()).as("the endpoint really is unreachable").isEqualTo(3);

        Result noUri = cliAt(nowhere, "account", "update", "x", "--key-source", "Microsoft.KeyVault", "--key-name", "k");
        assertThat(noUri.exit()).isEqualTo(2);
        assertThat(noUri.err()).contains("needs --key-name and --key-vault-uri");

        Result noName = cliAt(nowhere, "account", "update", "x", "--key-source", "Microsoft.KeyVault", "--key-vault-uri", "https://v/");
        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("needs --key-name and --key-vault-uri");

        Result noSource = cliAt(nowhere, "account", "update", "x", "--key-name", "k", "--key-vault-uri", "https://v/",
                "--default-action", "Deny");
        assertThat(noSource.exit()).isEqualTo(2);
        assertThat(noSource.err()).contains("need --key-source Microsoft.KeyVault");

        Result serviceWithKey = cliAt(nowhere, "account", "update", "x", "--key-source", "Microsoft.CognitiveServices", "--key-name", "k");
        assertThat(serviceWithKey.exit()).isEqualTo(2);
        assertThat(serviceWithKey.err()).contains("takes no --key-name");

        Result unknown = cliAt(nowhere, "account", "update", "x", "--key-source", "Microsoft.Storage");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--key-source must be Microsoft.CognitiveServices or Microsoft.KeyVault");
    }

    @Test
    void serverRefusalsAreReported() {
        bulwark.createAccount("clibad", "TextAnalytics");
        Result missingKey = cli("account", "update", "clibad", "--key-source", "Microsoft.KeyVault", "--key-name", "no-such-key",
                "--key-vault-uri", bulwark.dataUrl() + "/");
        assertThat(missingKey.exit()).isEqualTo(1);
        assertThat(missingKey.err()).startsWith("bulwark: HTTP 4");
        assertThat(encryption("clibad").path("keySource").asText()).isEqualTo("Microsoft.CognitiveServices");

        Result rewrapMissing = cli("account", "rewrap", "no-such-account");
        assertThat(rewrapMissing.exit()).isEqualTo(1);
        assertThat(rewrapMissing.err()).contains("HTTP 404");
    }
}
