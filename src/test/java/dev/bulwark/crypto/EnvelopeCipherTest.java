package dev.bulwark.crypto;

import dev.bulwark.config.SecretValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeCipherTest {
    static final ObjectIdentity OBJ = new ObjectIdentity("acct-1", "document", "doc-1");

    final MasterKey master = masterKey();
    final InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
    final KeyReference cmkV1 = vault.rotate("cmk");
    final CustomerKey cmk = new CustomerKey(KeySource.VAULT, "cmk", Optional.empty());
    final EnvelopeCipher cipher = EnvelopeCipher.withServiceKey(
            KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1), vault), DataKeyCache.withDefaults());

    static MasterKey masterKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "test"));
    }

    @Test
    void singleLayerRoundTrips() {
        for (byte[] plaintext : new byte[][] {new byte[0], "hello".getBytes(StandardCharsets.UTF_8), random(1 << 20)}) {
            byte[] env = cipher.seal(plaintext, OBJ, Optional.empty());
            assertThat(cipher.open(env, OBJ)).isEqualTo(plaintext);
            assertThat(cipher.keysOf(env)).containsExactly(new KeyReference(KeySource.SERVICE, "service", "v1"));
        }
    }

    @Test
    void doubleLayerRoundTrips() {
        for (byte[] plaintext : new byte[][] {new byte[0], "hello".getBytes(StandardCharsets.UTF_8), random(1 << 20)}) {
            byte[] env = cipher.seal(plaintext, OBJ, Optional.of(cmk));
            assertThat(cipher.open(env, OBJ)).isEqualTo(plaintext);
            assertThat(cipher.keysOf(env)).containsExactly(new KeyReference(KeySource.SERVICE, "service", "v1"), cmkV1);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
