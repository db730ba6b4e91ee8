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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI against a real Bulwark: endpoint and token from the environment, tables and JSON out, one-line failures. */
class CliEndToEndTest {
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

    private static Result cli(Map<String, String> env, String... args) {
        ClientOptions.environment = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("BULWARK_ENDPOINT", bulwark.managementUrl());
        e.put("BULWARK_ADMIN_TOKEN", TestBulwark.ADMIN_TOKEN);
        e.put("BULWARK_CA_CERT", caCert.toString());
        return e;
    }

    @Test
    void createListShowKeysRegenerateDeleteAndAudit() throws Exception {
        Result created = cli(env(), "account", "create", "cli-acct", "--kind", "TextAnalytics", "--location", "westeurope");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("NAME").contains("cli-acct").contains("TextAnalytics");

        Result list = cli(env(), "account", "list", "--output", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().get("value").findValuesAsText("name")).contains("cli-acct");

        Result keys = cli(env(), "account", "keys", "list", "cli-acct", "-o", "json");
        String key1 = keys.json().get("key1").asText();
        String key2 = keys.json().get("key2").asText();
        assertThat(key1).startsWith("bwk_");

        Result regen = cli(env(), "account", "keys", "regenerate", "cli-acct", "--key-name", "Key1");
        assertThat(regen.exit()).isZero();
        assertThat(regen.out()).contains("key1").contains(key2).doesNotContain(key1);

        Result audit = cli(env(), "audit", "list", "--account", "cli-acct", "--operation",
                "Microsoft.CognitiveServices/accounts/regenerateKey/action", "-o", "json");
        assertThat(audit.json().get("value")).hasSize(1);
        Result auditTable = cli(env(), "audit", "list", "--account", "cli-acct");
        assertThat(auditTable.out()).contains("regenerateKey").contains("listKeys").contains("Succeeded");

        assertThat(cli(env(), "account", "show", "cli-acct").out()).contains("cli-acct");
        Result deleted = cli(env(), "account", "delete", "cli-acct");
        assertThat(deleted.exit()).isZero();
        Result gone = cli(env(), "account", "show", "cli-acct");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err().strip()).startsWith("bulwark: HTTP 404 ResourceNotFound").doesNotContain("\n");
    }

    @Test
    void failuresAreOneLineWithANonZeroExit() {
        Map<String, String> wrongToken = env();
        wrongToken.put("BULWARK_ADMIN_TOKEN", "nope-nope-nope-nope");
        Result denied = cli(wrongToken, "account", "list");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).startsWith("bulwark: HTTP 401 AuthenticationFailed").doesNotContain("nope-nope");

        Map<String, String> noServer = env();
        noServer.put("BULWARK_ENDPOINT", "https://127.0.0.1:1");
        Result unreachable = cli(noServer, "account", "list");
        assertThat(unreachable.exit()).isEqualTo(3);
        assertThat(unreachable.err()).contains("cannot reach");

        Map<String, String> untrusted = env();
        untrusted.remove("BULWARK_CA_CERT");
        untrusted.put("BULWARK_HOME", home.resolve("nowhere").toString());
        Result tls = cli(untrusted, "account", "list");
        assertThat(tls.exit()).isEqualTo(3);
        assertThat(tls.err()).contains("TLS");

        Result badKind = cli(env(), "account", "create", "x1", "--kind", "Nope", "--location", "westeurope");
        assertThat(badKind.exit()).isEqualTo(1);
        assertThat(badKind.err()).contains("InvalidKind");

        Result badKeyName = cli(env(), "account", "keys", "regenerate", "x1", "--key-name", "Key3");
        assertThat(badKeyName.exit()).isNotZero();

        Map<String, String> plain = env();
        plain.put("BULWARK_ENDPOINT", "http://127.0.0.1:8444");
        assertThat(cli(plain, "account", "list").err()).contains("https://");
    }

    @Test
    void flagsOverrideTheEnvironment() {
        Map<String, String> broken = env();
        broken.put("BULWARK_ENDPOINT", "https://127.0.0.1:1");
        Result r = cli(broken, "account", "list", "--endpoint", bulwark.managementUrl());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void updateAuditVerifyAndSigningKeyRotationFromTheCli() throws Exception {
        assertThat(cli(env(), "account", "create", "cli-more", "--kind", "TextAnalytics", "--location", "westeurope").exit()).isZero();
        Result update = cli(env(), "account", "update", "cli-more", "--disable-local-auth", "true", "-o", "json");
        assertThat(update.exit()).as(update.err()).isZero();
        assertThat(update.json().at("/properties/disableLocalAuth").asBoolean()).isTrue();
        assertThat(cli(env(), "account", "update", "cli-more").exit()).isEqualTo(2);

        Result verify = cli(env(), "audit", "verify");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("Audit log intact:");

        Result before = cli(env(), "signing-key", "list", "-o", "json");
        String primary = before.json().get("primaryKeyId").asText();
        Result rotated = cli(env(), "signing-key", "rotate");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("primary (signs new tokens)").contains(primary).contains("verify-only");
        assertThat(cli(env(), "signing-key", "list", "-o", "json").json().get("primaryKeyId").asText()).isNotEqualTo(primary);
    }
}
