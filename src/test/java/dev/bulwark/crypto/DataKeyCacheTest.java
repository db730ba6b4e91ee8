package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class DataKeyCacheTest {
    final AtomicLong now = new AtomicLong();
    final InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
    final KeyReference ref = vault.rotate("k");
    final byte[] aad = {1, 2, 3};

    byte[] wrapped(byte[] dataKey) {
        return vault.wrap(ref, dataKey, aad);
    }

    @Test
    void theSameWrappedKeyIsUnwrappedOnceWithinTheTtl() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ofSeconds(5), now::get);
        byte[] dk = new byte[32];
        Arrays.fill(dk, (byte) 7);
        byte[] w = wrapped(dk);
        assertThat(cache.unwrap(vault, ref, w, aad)).isEqualTo(dk);
        assertThat(cache.unwrap(vault, ref, w, aad)).isEqualTo(dk);
        assertThat(vault.unwrapCount()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(cache.unwrap(vault, ref, w, aad)).isEqualTo(dk);
        assertThat(vault.unwrapCount()).isEqualTo(2);
    }

    @Test
    void otherAssociatedDataIsAnotherEntryAndStillChecked() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ofSeconds(5), now::get);
        byte[] w = wrapped(new byte[32]);
        cache.unwrap(vault, ref, w, aad);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.unwrap(vault, ref, w, new byte[] {9}))
                .isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void aCallerZeroingItsCopyDoesNotCorruptTheCache() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ofSeconds(5), now::get);
        byte[] dk = new byte[32];
        Arrays.fill(dk, (byte) 3);
        byte[] w = wrapped(dk);
        Arrays.fill(cache.unwrap(vault, ref, w, aad), (byte) 0);
        assertThat(cache.unwrap(vault, ref, w, aad)).isEqualTo(dk);
    }

    @Test
    void theLeastRecentlyUsedEntryGoesWhenFull() {
        DataKeyCache cache = DataKeyCache.create(2, Duration.ofSeconds(5), now::get);
        byte[] a = wrapped(new byte[32]);
        byte[] b = wrapped(new byte[32]);
        byte[] c = wrapped(new byte[32]);
        cache.unwrap(vault, ref, a, aad);
        cache.unwrap(vault, ref, b, aad);
        cache.unwrap(vault, ref, a, aad);
        cache.unwrap(vault, ref, c, aad);
        assertThat(cache.size()).isEqualTo(2);
        int before = vault.unwrapCount();
        cache.unwrap(vault, ref, a, aad);
        assertThat(vault.unwrapCount()).isEqualTo(before);
        cache.unwrap(vault, ref, b, aad);
        assertThat(vault.unwrapCount()).isEqualTo(before + 1);
    }

    @Test
    void aZeroTtlTurnsCachingOff() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ZERO, now::get);
        byte[] w = wrapped(new byte[32]);
        cache.unwrap(vault, ref, w, aad);
        cache.unwrap(vault, ref, w, aad);
        assertThat(vault.unwrapCount()).isEqualTo(2);
        assertThat(cache.size()).isZero();
        assertThat(cache.enabled()).isFalse();
    }

    @Test
    void invalidateDropsOnlyTheNamedKey() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ofSeconds(5), now::get);
        KeyReference other = vault.rotate("other");
        cache.unwrap(vault, ref, wrapped(new byte[32]), aad);
        cache.unwrap(vault, other, vault.wrap(other, new byte[32], aad), aad);
        cache.invalidate(ref);
        assertThat(cache.size()).isEqualTo(1);
        cache.invalidateAll(KeySource.VAULT, "other");
        assertThat(cache.size()).isZero();
    }

    @Test
    void anUnwrapThatRacedAnInvalidationIsNotCached() {
        DataKeyCache cache = DataKeyCache.create(10, Duration.ofSeconds(5), now::get);
        byte[] w = wrapped(new byte[32]);
        KeyProvider invalidatingDuringUnwrap = new KeyProvider() {
            public KeySource source() { return KeySource.VAULT; }
            public KeyReference current(String keyName) { return vault.current(keyName); }
            public KeyReference resolve(String keyName, String version) { return vault.resolve(keyName, version); }
            public byte[] wrap(KeyReference key, byte[] dataKey, byte[] ad) { return vault.wrap(key, dataKey, ad); }
            public byte[] unwrap(KeyReference key, byte[] wrappedKey, byte[] ad) {
                byte[] k = vault.unwrap(key, wrappedKey, ad);
                cache.invalidate(key); // revocation lands while this unwrap is in flight
                return k;
            }
        };
        cache.unwrap(invalidatingDuringUnwrap, ref, w, aad);
        assertThat(cache.size()).isZero();
    }
}
