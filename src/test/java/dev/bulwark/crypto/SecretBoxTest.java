package dev.bulwark.crypto;

import dev.bulwark.config.SecretValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private final MasterKey master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(new byte[32]), "test"));
    private final SecretBox box = SecretBox.forPurpose(master, "test/v1");

    @Test
    void sealedDataOpensOnlyWithTheSameAssociatedData() {
        byte[] sealed = box.seal("secret".getBytes(StandardCharsets.UTF_8), "row-1");
        assertThat(new String(box.open(sealed, "row-1"), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThatThrownBy(() -> box.open(sealed, "row-2")).isInstanceOf(CryptoException.class).hasMessage("cannot decrypt");
    }

    @Test
    void anyFlippedBitIsDetected() {
        byte[] sealed = box.seal("secret".getBytes(StandardCharsets.UTF_8), "row");
        for (int i = 0; i < sealed.length; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 1;
            assertThatThrownBy(() -> box.open(t, "row")).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void sameInputSealsDifferentlyEachTime() {
        byte[] a = box.seal(new byte[] {1, 2, 3}, "x");
        byte[] b = box.seal(new byte[] {1, 2, 3}, "x");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void differentPurposesGetIndependentKeys() {
        byte[] sealed = box.seal(new byte[] {1}, "x");
        assertThatThrownBy(() -> SecretBox.forPurpose(master, "other/v1").open(sealed, "x")).isInstanceOf(CryptoException.class);
    }

    @Test
    void generatedMasterKeyIsPrivateAndStable(@TempDir Path home) throws Exception {
        MasterKey first = MasterKey.loadOrGenerate(home);
        MasterKey second = MasterKey.loadOrGenerate(home);
        assertThat(first.derive("p")).isEqualTo(second.derive("p"));
        Path file = home.resolve("secrets/master.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(first.toString()).doesNotContain(Files.readString(file).strip());
    }

    @Test
    void masterKeyOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(new byte[16]), "env:X")))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKey.from(new SecretValue("not base64!", "env:X"))).hasMessageContaining("base64");
    }
}
