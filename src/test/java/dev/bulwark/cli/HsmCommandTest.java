package dev.bulwark.cli;

import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;
import dev.bulwark.crypto.pkcs11.SoftHsm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark hsm key create|rotate|show} against a real SoftHSM2 token, with the serve settings. */
class HsmCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void restoreEnvironment() {
        CliTestAccess.environment(System.getenv());
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static void hsmEnvironment() {
        SoftHsm hsm = SoftHsm.get();
        CliTestAccess.environment(Map.of("BULWARK_PKCS11_LIBRARY", hsm.library().toString(),
                "BULWARK_PKCS11_SLOT", Long.toString(hsm.slot()),
                "BULWARK_PKCS11_PIN", "env:HSM_CLI_PIN", "HSM_CLI_PIN", SoftHsm.PIN));
    }

    @Test
    void createRotateAndShowAKeyOnTheToken() {
        hsmEnvironment();
        String name = "cli-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(run("hsm", "key", "create", name)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Created " + name + " version 1").contains("never extractable");
        assertThat(run("hsm", "key", "create", name)).isEqualTo(1);
        assertThat(err.toString()).contains("already exists");

        assertThat(run("hsm", "key", "rotate", name)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("version 2");
        assertThat(run("hsm", "key", "show", name)).isZero();
        assertThat(out.toString()).contains(name + " version 2: usable");
        // What the CLI made is what Bulwark's provider sees: both versions, the newest current.
        assertThat(SoftHsm.get().provider().resolve(name, "1")).isEqualTo(new KeyReference(KeySource.PKCS11, name, "1"));
        assertThat(SoftHsm.get().provider().current(name).version()).isEqualTo("2");
        assertThat(out.toString() + err.toString()).doesNotContain(SoftHsm.PIN);
    }

    @Test
    void missingKeysSettingsAndBadNamesAreOneLineErrors() {
        hsmEnvironment();
        assertThat(run("hsm", "key", "rotate", "no-such-" + UUID.randomUUID().toString().substring(0, 8))).isEqualTo(1);
        assertThat(err.toString()).contains("no version of the key");
        assertThat(run("hsm", "key", "create", "bad.name")).isEqualTo(2);
        assertThat(err.toString()).contains("letters, digits");

        CliTestAccess.environment(Map.of());
        assertThat(run("hsm", "key", "show", "anything")).isEqualTo(2);
        assertThat(err.toString()).contains("no HSM is configured");
    }
}
