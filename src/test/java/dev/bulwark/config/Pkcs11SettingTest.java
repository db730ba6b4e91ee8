package dev.bulwark.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Pkcs11SettingTest {
    @TempDir
    Path dir;

    @Test
    void absentMeansNoHsm() {
        assertThat(Settings.load(null, Map.of()).pkcs11()).isEmpty();
    }

    @Test
    void thePinIsReadThroughAnEnvironmentReference() {
        Settings s = Settings.load(null, Map.of(
                "BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so",
                "BULWARK_PKCS11_SLOT", "573576863",
                "BULWARK_PKCS11_PIN", "env:HSM_PIN",
                "HSM_PIN", "s3cret-pin"));

        Pkcs11Settings p = s.pkcs11().orElseThrow();
        assertThat(p.library()).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
        assertThat(p.slot()).isEqualTo(573576863L);
        assertThat(p.pin().reveal()).isEqualTo("s3cret-pin");
        assertThat(p.pin().source()).isEqualTo("env:HSM_PIN");
        assertThat(p.toString()).doesNotContain("s3cret-pin");
        assertThat(s.toString()).doesNotContain("s3cret-pin");
    }

    @Test
    void theConfigFileNamesThePinInAFile() throws Exception {
        Path pin = dir.resolve("pin");
        Files.writeString(pin, "file-pin\n");
        Path f = dir.resolve("bulwark.properties");
        Files.writeString(f, "pkcs11.library=/opt/hsm/lib.so\npkcs11.slot=0\npkcs11.pin=file:" + pin + "\n");

        Pkcs11Settings p = Settings.load(f, Map.of()).pkcs11().orElseThrow();

        assertThat(p.pin().reveal()).isEqualTo("file-pin");
        assertThat(p.slot()).isZero();
    }

    @Test
    void aLiteralPinIsRefusedEvenInTheEnvironment() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(
                "BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so",
                "BULWARK_PKCS11_SLOT", "1",
                "BULWARK_PKCS11_PIN", "123456")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("secret reference")
                .hasMessageNotContaining("123456");
    }

    @Test
    void partOfTheSettingsIsRefused() {
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("BULWARK_PKCS11_SLOT");
    }

    @Test
    void aSlotMustBeANumber() {
        assertThatThrownBy(() -> Settings.load(null, Map.of(
                "BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so",
                "BULWARK_PKCS11_SLOT", "token-label",
                "BULWARK_PKCS11_PIN", "env:HSM_PIN",
                "HSM_PIN", "x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("slot id");
    }
}
