package dev.bulwark.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secrets Bulwark needs before its vault is open (the master key that seals the vault, the admin
 * token, the HSM PIN) cannot come from the vault: a {@code vault:} reference there stops the startup
 * with a message saying why and what to use instead, rather than failing later or obscurely.
 */
class SettingsVaultReferenceTest {
    @TempDir
    Path dir;

    @Test
    void masterKeyAndAdminTokenInTheConfigFileCannotBeVaultReferences() throws Exception {
        for (String setting : new String[] {"master.key", "admin.token"}) {
            Path f = Files.writeString(dir.resolve(setting + ".properties"), setting + "=vault:bulwark-root\n");
            assertThatThrownBy(() -> Settings.load(f, Map.of()))
                    .as(setting)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("vault:bulwark-root")
                    .hasMessageContaining("before the vault opens")
                    .hasMessageContaining("env: or file:");
        }
    }

    @Test
    void theHsmPinCannotBeAVaultReference() {
        Map<String, String> env = Map.of("BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so",
                "BULWARK_PKCS11_SLOT", "1", "BULWARK_PKCS11_PIN", "vault:hsm-pin");
        assertThatThrownBy(() -> Settings.load(null, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vault:hsm-pin")
                .hasMessageContaining("before the vault opens");
    }

    @Test
    void theSameSettingsAsEnvOrFileReferencesAreAccepted() throws Exception {
        // The counterpart: the refusal above is about vault:, not about references in general.
        Path pin = Files.writeString(dir.resolve("pin"), "1234\n");
        Path f = Files.writeString(dir.resolve("ok.properties"), "admin.token=env:ADMIN\n");
        Settings s = Settings.load(f, Map.of("ADMIN", "admin-token-0123456789abcdef0123",
                "BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so", "BULWARK_PKCS11_SLOT", "1",
                "BULWARK_PKCS11_PIN", "file:" + pin));
        assertThat(s.adminToken().orElseThrow().reveal()).isEqualTo("admin-token-0123456789abcdef0123");
        assertThat(s.pkcs11().orElseThrow().pin().reveal()).isEqualTo("1234");
    }
}
