package dev.bulwark.cli;

import dev.bulwark.cli.CliHarness.Result;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark deployment ...} against a real Bulwark, with the option names scripts are written against. */
class DeploymentCommandTest {
    private static final String SECRET = "cli-upstream-secret-8d2e41";

    @TempDir
    static Path home;
    @TempDir
    static Path secrets;
    static CliHarness harness;
    static TestBulwark bulwark;
    static Path secretFile;

    @BeforeAll
    static void start() throws Exception {
        harness = new CliHarness(home);
        bulwark = harness.bulwark();
        secretFile = Files.writeString(secrets.resolve("key"), SECRET);
        bulwark.createAccount("cli-dep", "OpenAI");
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Result cli(String... args) {
        return harness.run(args);
    }

    @Test
    void createListShowDeleteRoundTrip() throws Exception {
        Result created = cli("deployment", "create", "--account", "cli-dep", "--name", "llama", "--upstream-url", "http://127.0.0.1:8000/v1",
                "--model", "meta-llama/Llama-3.1-8B-Instruct", "--credential", "file:" + secretFile, "--rpm", "600", "--tpm", "100000",
                "--timeout-seconds", "90", "--connect-timeout-seconds", "3");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("NAME").contains("llama").contains("meta-llama/Llama-3.1-8B-Instruct")
                .contains("http://127.0.0.1:8000/v1").contains("600").contains("100000").contains("90s").contains("ok")
                .doesNotContain(SECRET);
        var view = bulwark.bulwark().snapshots().current().deployment("cli-dep", "llama");
        assertThat(view.credential().reveal()).isEqualTo(SECRET);
        assertThat(view.connectTimeoutMs()).isEqualTo(3000);
        assertThat(view.timeoutMs()).isEqualTo(90_000);
        assertThat(view.requestsPerMinute()).isEqualTo(600);
        assertThat(view.tokensPerMinute()).isEqualTo(100_000);

        Result list = cli("deployment", "list", "--account", "cli-dep", "-o", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().get("value")).extracting(v -> v.get("name").asText()).contains("llama");
        assertThat(list.out()).doesNotContain(SECRET);

        Result show = cli("deployment", "show", "--account", "cli-dep", "--name", "llama", "-o", "json");
        assertThat(show.exit()).isZero();
        assertThat(show.json().at("/properties/upstream/credential").asText()).isEqualTo("file:" + secretFile);
        assertThat(show.out()).doesNotContain(SECRET);
        assertThat(cli("deployment", "show", "--account", "cli-dep", "--name", "llama").out()).contains("llama").doesNotContain(SECRET);
        assertThat(cli("deployment", "list", "--account", "cli-dep").out()).contains("llama").doesNotContain(SECRET);

        Result deleted = cli("deployment", "delete", "--account", "cli-dep", "--name", "llama");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted deployment llama");
        Result gone = cli("deployment", "show", "--account", "cli-dep", "--name", "llama");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err().strip()).startsWith("bulwark: HTTP 404 ResourceNotFound").doesNotContain("\n");
        assertThat(cli("deployment", "delete", "--account", "cli-dep", "--name", "llama").exit()).isEqualTo(1);
    }

    @Test
    void withoutLimitsOrCredentialTheDefaultsApplyAndAnUnresolvedReferenceIsAWarning() throws Exception {
        Result plain = cli("deployment", "create", "--account", "cli-dep", "--name", "plain", "--upstream-url", "http://127.0.0.1:11434/v1",
                "--model", "llama3", "-o", "json");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.json().at("/properties/rateLimits")).isEmpty();
        assertThat(plain.json().at("/properties/upstream/timeoutSeconds").asInt()).isEqualTo(60);
        assertThat(plain.json().at("/properties/upstream/connectTimeoutSeconds").asInt()).isEqualTo(10);
        assertThat(cli("deployment", "list", "--account", "cli-dep").out()).contains("unlimited");

        Result unset = cli("deployment", "create", "--account", "cli-dep", "--name", "unset", "--upstream-url", "http://127.0.0.1:8000/v1",
                "--model", "m", "--credential", "env:CLI_TEST_SURELY_UNSET");
        assertThat(unset.exit()).isZero();
        assertThat(unset.out()).contains("Warning: the credential cannot be used yet: environment variable CLI_TEST_SURELY_UNSET is not set");
    }

    @Test
    void inlineRemoteImagesIsOffUnlessAskedForAndShown() throws Exception {
        Result off = cli("deployment", "create", "--account", "cli-dep", "--name", "plain-images", "--upstream-url",
                "http://127.0.0.1:8000/v1", "--model", "m", "-o", "json");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(off.json().at("/properties/inlineRemoteImages").asBoolean(true)).isFalse();
        assertThat(bulwark.bulwark().snapshots().current().deployment("cli-dep", "plain-images").inlineRemoteImages()).isFalse();

        Result on = cli("deployment", "create", "--account", "cli-dep", "--name", "inline-images", "--upstream-url",
                "http://127.0.0.1:8000/v1", "--model", "m", "--inline-remote-images");
        assertThat(on.exit()).as(on.err()).isZero();
        assertThat(on.out()).contains("INLINE IMAGES").contains("yes");
        assertThat(bulwark.bulwark().snapshots().current().deployment("cli-dep", "inline-images").inlineRemoteImages()).isTrue();
        Result show = cli("deployment", "show", "--account", "cli-dep", "--name", "inline-images", "-o", "json");
        assertThat(show.json().at("/properties/inlineRemoteImages").asBoolean(false)).isTrue();
        assertThat(cli("deployment", "list", "--account", "cli-dep").out()).contains("inline-images");
    }

    @Test
    void refusalsAreOneLineWithExitOneAndNeverEchoASecret() {
        Result literal = cli("deployment", "create", "--account", "cli-dep", "--name", "bad", "--upstream-url", "http://127.0.0.1:8000/v1",
                "--model", "m", "--credential", "sk-LITERAL-SECRET-123");
        assertThat(literal.exit()).isEqualTo(1);
        assertThat(literal.err()).startsWith("bulwark: HTTP 400 InvalidCredentialReference").doesNotContain("LITERAL-SECRET");
        assertThat(literal.out()).doesNotContain("LITERAL-SECRET");

        Result url = cli("deployment", "create", "--account", "cli-dep", "--name", "bad", "--upstream-url", "http://u:pw-LITERAL@h/v1", "--model", "m");
        assertThat(url.exit()).isEqualTo(1);
        assertThat(url.err()).contains("InvalidUpstreamUrl").doesNotContain("pw-LITERAL");

        assertThat(cli("deployment", "create", "--account", "cli-dep", "--name", "bad", "--upstream-url", "http://h/v1", "--model", "m",
                "--timeout-seconds", "0").err()).contains("InvalidTimeout");
        assertThat(cli("deployment", "list", "--account", "no-such-account").err()).startsWith("bulwark: HTTP 404 ResourceNotFound");
        Result missing = cli("deployment", "create", "--account", "cli-dep", "--name", "x");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--upstream-url").contains("--model");
    }
}
