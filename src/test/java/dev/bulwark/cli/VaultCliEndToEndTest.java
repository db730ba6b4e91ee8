package dev.bulwark.cli;

import dev.bulwark.cli.CliHarness.Result;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark vault ...} against a real Bulwark over HTTPS with the admin token. */
class VaultCliEndToEndTest {
    @TempDir
    static Path home;
    static CliHarness harness;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() throws Exception {
        harness = new CliHarness(home);
        bulwark = harness.bulwark();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Result cli(Map<String, String> extraEnv, String... args) {
        return harness.run(extraEnv, args);
    }

    private static Result cli(String... args) {
        return harness.run(args);
    }

    @Test
    void secretLifecycleThroughTheCliNeverTakesTheValueAsAnArgument() throws Exception {
        Path file = home.resolve("value.txt");
        Files.writeString(file, "from-a-file\n");
        Result set = cli("vault", "secret", "set", "cli-secret", "--value-file", file.toString(), "--tag", "team=ai");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).contains("cli-secret").doesNotContain("from-a-file");

        Result show = cli("vault", "secret", "show", "cli-secret");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("value: from-a-file");

        Result fromEnv = cli(Map.of("MY_SECRET_VALUE", "from-the-env"), "vault", "secret", "set", "cli-secret", "--value-env", "MY_SECRET_VALUE");
        assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();
        assertThat(cli("vault", "secret", "show", "cli-secret", "-o", "json").json().get("value").asText()).isEqualTo("from-the-env");
        assertThat(cli("vault", "secret", "list", "--versions-of", "cli-secret", "-o", "json").json().size()).isEqualTo(2);

        Result literal = cli("vault", "secret", "set", "cli-secret", "--value", "in-history");
        assertThat(literal.exit()).isNotZero();
        Result missingEnv = cli("vault", "secret", "set", "cli-secret", "--value-env", "NOT_SET_ANYWHERE");
        assertThat(missingEnv.exit()).isEqualTo(2);
        assertThat(missingEnv.err()).contains("NOT_SET_ANYWHERE").doesNotContain("from-the-env");

        assertThat(cli("vault", "secret", "list").out()).contains("cli-secret");
        Result deleted = cli("vault", "secret", "delete", "cli-secret");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted cli-secret; recoverable until");
        assertThat(cli("vault", "secret", "list", "--deleted").out()).contains("cli-secret");
        Result recovered = cli("vault", "secret", "recover", "cli-secret");
        assertThat(recovered.exit()).as(recovered.err()).isZero();
        assertThat(cli("vault", "secret", "show", "cli-secret", "-o", "json").json().get("value").asText()).isEqualTo("from-the-env");
        cli("vault", "secret", "delete", "cli-secret");
        Result purged = cli("vault", "secret", "purge", "cli-secret");
        assertThat(purged.exit()).as(purged.err()).isZero();
        Result gone = cli("vault", "secret", "show", "cli-secret");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404 SecretNotFound");
    }

    @Test
    void keyLifecycleThroughTheCli() throws Exception {
        Result created = cli("vault", "key", "create", "cli-key", "--kty", "RSA", "--size", "3072", "-o", "json");
        assertThat(created.exit()).as(created.err()).isZero();
        String kid = created.json().at("/key/kid").asText();
        Result rotated = cli("vault", "key", "rotate", "cli-key", "-o", "json");
        assertThat(rotated.json().at("/key/kid").asText()).isNotEqualTo(kid);
        assertThat(cli("vault", "key", "list", "--versions-of", "cli-key", "-o", "json").json().size()).isEqualTo(2);
        Result disabled = cli("vault", "key", "disable", "cli-key", "-o", "json");
        assertThat(disabled.json().at("/attributes/enabled").asBoolean()).isFalse();
        assertThat(cli("vault", "key", "enable", "cli-key", "-o", "json").json().at("/attributes/enabled").asBoolean()).isTrue();
        assertThat(cli("vault", "key", "list").out()).contains("cli-key");
        Result deleted = cli("vault", "key", "delete", "cli-key");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(cli("vault", "key", "list").out()).doesNotContain("cli-key");
        Result bad = cli("vault", "key", "create", "bad-key", "--size", "1024");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("BadParameter");
    }

    @Test
    void deletedKeyCanBeListedRecoveredShownAndPurgedThroughTheCli() throws Exception {
        Result created = cli("vault", "key", "create", "cli-key2", "-o", "json");
        assertThat(created.exit()).as(created.err()).isZero();
        String kid = created.json().at("/key/kid").asText();
        Result shown = cli("vault", "key", "show", "cli-key2");
        assertThat(shown.exit()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("cli-key2").contains(VaultCommand.versionOf(kid));
        Result byVersion = cli("vault", "key", "show", "cli-key2", "--version", VaultCommand.versionOf(kid), "-o", "json");
        assertThat(byVersion.exit()).as(byVersion.err()).isZero();
        assertThat(byVersion.json().at("/key/kid").asText()).isEqualTo(kid);

        Result deleted = cli("vault", "key", "delete", "cli-key2");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted cli-key2; recoverable until");
        assertThat(cli("vault", "key", "list", "--deleted").out()).contains("cli-key2");
        assertThat(cli("vault", "key", "list", "--deleted", "-o", "json").json().findValuesAsText("recoveryId"))
                .anyMatch(id -> id.endsWith("/deletedkeys/cli-key2"));
        Result recovered = cli("vault", "key", "recover", "cli-key2");
        assertThat(recovered.exit()).as(recovered.err()).isZero();
        assertThat(recovered.out()).contains("cli-key2");
        assertThat(cli("vault", "key", "list", "--deleted").out()).doesNotContain("cli-key2");
        Result back = cli("vault", "key", "show", "cli-key2", "-o", "json");
        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(back.json().at("/key/kid").asText()).isEqualTo(kid);

        assertThat(cli("vault", "key", "delete", "cli-key2").exit()).isZero();
        Result purged = cli("vault", "key", "purge", "cli-key2");
        assertThat(purged.exit()).as(purged.err()).isZero();
        assertThat(purged.out()).contains("Purged key cli-key2.");
        assertThat(cli("vault", "key", "list", "--deleted").out()).doesNotContain("cli-key2");
        Result gone = cli("vault", "key", "show", "cli-key2");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("HTTP 404 KeyNotFound");
        Result notDeleted = cli("vault", "key", "recover", "cli-key2");
        assertThat(notDeleted.exit()).isEqualTo(1);
    }
}
