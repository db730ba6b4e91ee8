package dev.bulwark.vault;

import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VaultKeyProviderTest {
    private static final byte[] AD = "account-a/files/1".getBytes(StandardCharsets.UTF_8);
    @TempDir
    Path dir;
    VaultFixture vault;
    VaultKeyProvider provider;

    @AfterEach
    void close() {
        vault.close();
    }

    private void open(VaultPolicy policy) {
        vault = new VaultFixture(dir, policy);
        provider = new VaultKeyProvider(vault.keys);
    }

    private static byte[] dataKey() {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void wrapsAndUnwrapsWithEveryKeyTypeAndBindsTheAssociatedData() {
        open(VaultPolicy.DEFAULT);
        vault.keys.create("rsa-cmk", VaultKeys.NewKey.rsa(2048));
        vault.keys.create("oct-cmk", new VaultKeys.NewKey(VaultKeys.OCT, 256, true, Optional.empty(), Optional.empty(), Map.of()));
        for (String name : List.of("rsa-cmk", "oct-cmk")) {
            KeyReference ref = provider.current(name);
            assertThat(ref.source()).isEqualTo(KeySource.VAULT);
            byte[] dk = dataKey();
            byte[] wrapped = provider.wrap(ref, dk, AD);
            assertThat(provider.unwrap(provider.resolve(name, ref.version()), wrapped, AD)).isEqualTo(dk);
            assertThatThrownBy(() -> provider.unwrap(ref, wrapped, "account-b/files/1".getBytes(StandardCharsets.UTF_8)))
                    .as(name).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void rotationMakesANewCurrentVersionAndOldWrapsStillUnwrap() {
        open(VaultPolicy.DEFAULT);
        vault.keys.create("rotating", VaultKeys.NewKey.rsa(2048));
        KeyReference v1 = provider.current("rotating");
        byte[] dk = dataKey();
        byte[] wrapped = provider.wrap(v1, dk, AD);
        vault.keys.rotate("rotating");
        KeyReference v2 = provider.current("rotating");
        assertThat(v2.version()).isNotEqualTo(v1.version());
        assertThat(provider.unwrap(v1, wrapped, AD)).isEqualTo(dk);
    }

    @Test
    void disabledDeletedExpiredNotYetValidOrMissingKeysAreDenied() {
        open(VaultPolicy.DEFAULT);
        vault.keys.create("revocable", VaultKeys.NewKey.rsa(2048));
        KeyReference ref = provider.current("revocable");
        byte[] wrapped = provider.wrap(ref, dataKey(), AD);

        vault.items.update(VaultItemKind.KEY, "revocable", Optional.of(ref.version()), VaultItems.Update.enabled(false));
        assertThatThrownBy(() -> provider.unwrap(ref, wrapped, AD)).isInstanceOf(KeyAccessDeniedException.class)
                .hasMessageContaining("KeyDisabled");
        assertThatThrownBy(() -> provider.current("revocable")).isInstanceOf(KeyAccessDeniedException.class);
        vault.items.update(VaultItemKind.KEY, "revocable", Optional.of(ref.version()), VaultItems.Update.enabled(true));
        provider.unwrap(ref, wrapped, AD);

        vault.items.delete(VaultItemKind.KEY, "revocable");
        assertThatThrownBy(() -> provider.unwrap(ref, wrapped, AD)).isInstanceOf(KeyAccessDeniedException.class);
        vault.items.recover(VaultItemKind.KEY, "revocable");
        provider.unwrap(ref, wrapped, AD);

        Instant now = vault.items.now();
        vault.items.update(VaultItemKind.KEY, "revocable", Optional.of(ref.version()), new VaultItems.Update(Optional.empty(),
                Optional.empty(), Optional.of(Optional.of(now.plusSeconds(10))), Optional.empty(), Optional.empty()));
        vault.clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> provider.unwrap(ref, wrapped, AD)).isInstanceOf(KeyAccessDeniedException.class)
                .hasMessageContaining("KeyExpired");

        vault.keys.create("future", new VaultKeys.NewKey(VaultKeys.RSA, 2048, true, Optional.of(vault.items.now().plusSeconds(60)),
                Optional.empty(), Map.of()));
        assertThatThrownBy(() -> provider.current("future")).isInstanceOf(KeyAccessDeniedException.class);
        assertThatThrownBy(() -> provider.current("nonexistent")).isInstanceOf(KeyAccessDeniedException.class);
        assertThatThrownBy(() -> provider.resolve("revocable", "0".repeat(32))).isInstanceOf(KeyAccessDeniedException.class);
    }

    @Test
    void theListenerHearsEveryKeyStateChangeAndNoSecretChange() {
        open(VaultPolicy.DEFAULT);
        List<String> heard = new ArrayList<>();
        provider.onKeyStateChanged(heard::add);
        vault.keys.create("watched", VaultKeys.NewKey.rsa(2048));
        vault.keys.rotate("watched");
        vault.items.update(VaultItemKind.KEY, "watched", Optional.empty(), VaultItems.Update.enabled(false));
        vault.items.update(VaultItemKind.KEY, "watched", Optional.empty(), VaultItems.Update.enabled(true));
        vault.items.delete(VaultItemKind.KEY, "watched");
        vault.items.recover(VaultItemKind.KEY, "watched");
        vault.items.delete(VaultItemKind.KEY, "watched");
        vault.items.purge(VaultItemKind.KEY, "watched");
        vault.secrets.set("not-a-key", "x", VaultSecrets.NewSecret.plain());
        assertThat(heard).hasSize(8).containsOnly("watched");
    }

    @Test
    void keyMaterialIsStoredOnlySealed() throws Exception {
        open(VaultPolicy.DEFAULT);
        VaultVersion v = vault.keys.create("sealed", VaultKeys.NewKey.rsa(2048));
        // A PKCS#8 RSA private key starts with this DER prefix; the stored bytes are an envelope instead.
        byte[] version = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
        assertThat(indexOf(v.sealed(), version)).isEqualTo(-1);
        vault.db.close();
        byte[] file = java.nio.file.Files.readAllBytes(vault.dbFile);
        assertThat(indexOf(file, version)).as("no PKCS#8 RSA private key header in the database").isEqualTo(-1);
        java.nio.file.Files.createDirectories(dir.resolve("again"));
        vault = new VaultFixture(dir.resolve("again"), VaultPolicy.DEFAULT);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
