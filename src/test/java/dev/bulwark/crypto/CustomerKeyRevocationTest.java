package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomerKeyRevocationTest {
    static final ObjectIdentity OBJ = new ObjectIdentity("acct-1", "document", "doc-1");
    static final byte[] DATA = "customer data".getBytes(StandardCharsets.UTF_8);

    final AtomicLong now = new AtomicLong();
    final DataKeyCache cache = DataKeyCache.create(100, Duration.ofSeconds(60), now::get);
    final InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
    final KeyReference cmkV1 = vault.rotate("cmk");
    final CustomerKey cmk = new CustomerKey(KeySource.VAULT, "cmk", Optional.empty());
    final EnvelopeCipher cipher = EnvelopeCipher.withServiceKey(
            KeyProviders.of(ServiceKeyProvider.fromMasterKey(EnvelopeCipherTest.masterKey(), 1), vault), cache);

    @Test
    void aDeniedCustomerKeyPropagatesUntouched() {
        byte[] env = cipher.seal(DATA, OBJ, Optional.of(cmk));
        vault.deny("cmk");
        assertThatThrownBy(() -> cipher.open(env, OBJ))
                .isExactlyInstanceOf(KeyAccessDeniedException.class)
                .satisfies(e -> assertThat(((KeyAccessDeniedException) e).key()).isEqualTo(cmkV1));
        assertThatThrownBy(() -> cipher.seal(DATA, OBJ, Optional.of(cmk))).isExactlyInstanceOf(KeyAccessDeniedException.class);
        vault.allow("cmk");
        assertThat(cipher.open(env, OBJ)).isEqualTo(DATA);
    }

    @Test
    void readsWithinTheTtlUseTheCacheAndInvalidationEndsThatAtOnce() {
        byte[] env = cipher.seal(DATA, OBJ, Optional.of(cmk));
        assertThat(cipher.open(env, OBJ)).isEqualTo(DATA);
        assertThat(cipher.open(env, OBJ)).isEqualTo(DATA);
        assertThat(vault.unwrapCount()).isEqualTo(1);

        vault.deny("cmk");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(cipher.open(env, OBJ)).as("still within the TTL").isEqualTo(DATA);

        cache.invalidate(cmkV1);
        assertThatThrownBy(() -> cipher.open(env, OBJ)).isExactlyInstanceOf(KeyAccessDeniedException.class);
    }

    @Test
    void invalidateAllDropsEveryVersionOfTheKey() {
        byte[] env1 = cipher.seal(DATA, OBJ, Optional.of(cmk));
        vault.rotate("cmk");
        byte[] env2 = cipher.seal(DATA, OBJ, Optional.of(cmk));
        cipher.open(env1, OBJ);
        cipher.open(env2, OBJ);
        vault.deny("cmk");
        cache.invalidateAll(KeySource.VAULT, "cmk");
        assertThatThrownBy(() -> cipher.open(env1, OBJ)).isExactlyInstanceOf(KeyAccessDeniedException.class);
        assertThatThrownBy(() -> cipher.open(env2, OBJ)).isExactlyInstanceOf(KeyAccessDeniedException.class);
    }

    @Test
    void afterTheTtlTheProviderIsAskedAgain() {
        byte[] env = cipher.seal(DATA, OBJ, Optional.of(cmk));
        cipher.open(env, OBJ);
        vault.deny("cmk");
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThatThrownBy(() -> cipher.open(env, OBJ)).isExactlyInstanceOf(KeyAccessDeniedException.class);
    }
}
