package dev.bulwark.crypto.pkcs11;

import dev.bulwark.config.ConfigException;
import dev.bulwark.config.Pkcs11Settings;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.KeyAccessDeniedException;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real SoftHSM2 token (one per JVM, see {@link SoftHsm}); every test uses its own key names. */
class Pkcs11KeyProviderTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SoftHsm hsm = SoftHsm.get();
    private final Pkcs11KeyProvider keys = hsm.provider();

    private static byte[] dataKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    private static byte[] aad(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aWrappedDataKeyUnwrapsToTheSameBytes() {
        KeyReference ref = keys.createKey("roundtrip");
        assertThat(ref).isEqualTo(new KeyReference(KeySource.PKCS11, "roundtrip", "1"));
        byte[] dk = dataKey();

        byte[] wrapped = keys.wrap(ref, dk, aad("account-a/file/1"));

        assertThat(wrapped).hasSize(1 + 12 + 32 + 16);
        assertThat(keys.unwrap(ref, wrapped, aad("account-a/file/1"))).isEqualTo(dk);
        // A fresh random IV per wrap: the same data key never wraps to the same bytes twice.
        assertThat(keys.wrap(ref, dk, aad("account-a/file/1"))).isNotEqualTo(wrapped);
    }

    @Test
    void otherAssociatedDataDoesNotUnwrap() {
        KeyReference ref = keys.createKey("aad-mismatch");
        byte[] wrapped = keys.wrap(ref, dataKey(), aad("account-a/file/1"));

        assertThatThrownBy(() -> keys.unwrap(ref, wrapped, aad("account-b/file/1")))
                .isInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> keys.unwrap(ref, wrapped, new byte[0]))
                .isInstanceOf(CryptoException.class);
    }

    @Test
    void everyTamperedByteIsDetected() {
        KeyReference ref = keys.createKey("tamper");
        byte[] wrapped = keys.wrap(ref, dataKey(), aad("x"));
        for (int i = 0; i < wrapped.length; i++) {
            byte[] bad = wrapped.clone();
            bad[i] ^= 0x01;
            int at = i;
            assertThatThrownBy(() -> keys.unwrap(ref, bad, aad("x"))).as("byte %d", at)
                    .isInstanceOf(CryptoException.class);
        }
        assertThatThrownBy(() -> keys.unwrap(ref, Arrays.copyOf(wrapped, wrapped.length - 1), aad("x")))
                .isInstanceOf(CryptoException.class);
        // Still usable afterwards: a bad tag is not mistaken for a vanished key.
        assertThat(keys.usable(ref)).isTrue();
    }

    @Test
    void theKeyCannotBeExtractedFromTheToken() throws Exception {
        KeyReference ref = keys.createKey("sealed");
        SecretKey handle = keys.handle(ref);

        assertThat(handle.getEncoded()).isNull();
        SecretKeyFactory f = SecretKeyFactory.getInstance("AES", keys.jcaProvider());
        assertThatThrownBy(() -> f.getKeySpec(handle, SecretKeySpec.class)).isNotNull();
        // The token's own view, from another process: sensitive and never extractable.
        String listed = hsm.describeFromAnotherProcess("sealed.1");
        assertThat(listed).contains("sealed.1").contains("never extractable").contains("always sensitive");
    }

    @Test
    void rotationMovesCurrentAndOldVersionsStillUnwrap() {
        KeyReference v1 = keys.createKey("rotating");
        byte[] dk = dataKey();
        byte[] underV1 = keys.wrap(keys.current("rotating"), dk, aad("a"));

        KeyReference v2 = keys.rotate("rotating");

        assertThat(v2.version()).isEqualTo("2");
        assertThat(keys.current("rotating")).isEqualTo(v2);
        assertThat(keys.unwrap(v1, underV1, aad("a"))).isEqualTo(dk);
        assertThatThrownBy(() -> keys.unwrap(v2, underV1, aad("a"))).isInstanceOf(CryptoException.class);
        assertThat(keys.unwrap(v2, keys.wrap(v2, dk, aad("a")), aad("a"))).isEqualTo(dk);
        assertThat(keys.rotate("rotating").version()).isEqualTo("3");
        assertThat(keys.resolve("rotating", "1")).isEqualTo(v1);
    }

    @Test
    void namesWithDotsDoNotMixVersionsWithOtherNames() {
        keys.createKey("dotted");
        keys.createKey("dotted.7");

        assertThat(keys.current("dotted").version()).isEqualTo("1");
        assertThat(keys.current("dotted.7").version()).isEqualTo("1");
    }

    @Test
    void creatingAnExistingKeyIsRefused() {
        keys.createKey("twice");
        assertThatThrownBy(() -> keys.createKey("twice")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingKeyOrVersionIsDeniedNamingTheKey() {
        assertThatThrownBy(() -> keys.current("never-created"))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:never-created");
        assertThatThrownBy(() -> keys.rotate("never-created"))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:never-created");
        keys.createKey("one-version");
        KeyReference v9 = new KeyReference(KeySource.PKCS11, "one-version", "9");
        assertThatThrownBy(() -> keys.resolve("one-version", "9"))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:one-version/9");
        assertThatThrownBy(() -> keys.wrap(v9, dataKey(), aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class)
                .satisfies(e -> assertThat(((KeyAccessDeniedException) e).key()).isEqualTo(v9));
        assertThatThrownBy(() -> keys.unwrap(new KeyReference(KeySource.PKCS11, "one-version", "latest"), new byte[61], aad("a")))
                .isInstanceOf(CryptoException.class);
        assertThat(keys.usable(v9)).isFalse();
    }

    @Test
    void aKeyDeletedByAnotherProcessIsDeniedOnTheNextCall() {
        KeyReference ref = keys.createKey("deleted-elsewhere");
        byte[] dk = dataKey();
        byte[] wrapped = keys.wrap(ref, dk, aad("a"));
        assertThat(keys.usable(ref)).isTrue();

        hsm.deleteFromAnotherProcess("deleted-elsewhere.1");

        assertThat(keys.usable(ref)).isFalse();
        assertThatThrownBy(() -> keys.unwrap(ref, wrapped, aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:deleted-elsewhere/1");
        assertThatThrownBy(() -> keys.wrap(ref, dk, aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:deleted-elsewhere/1");
        assertThatThrownBy(() -> keys.current("deleted-elsewhere")).isInstanceOf(KeyAccessDeniedException.class);
    }

    @Test
    void deletingTheNewestVersionElsewhereMakesTheOlderOneCurrent() {
        keys.createKey("newest-deleted");
        keys.rotate("newest-deleted");
        assertThat(keys.current("newest-deleted").version()).isEqualTo("2");

        hsm.deleteFromAnotherProcess("newest-deleted.2");

        assertThat(keys.usable(new KeyReference(KeySource.PKCS11, "newest-deleted", "2"))).isFalse();
        assertThat(keys.current("newest-deleted").version()).isEqualTo("1");
    }

    @Test
    void aTokenRemovedByAnotherProcessIsDeniedNotAProviderError() {
        Pkcs11KeyProvider removable = Pkcs11KeyProvider.open(hsm.removableTokenSettings());
        KeyReference ref = removable.createKey("on-removed-token");
        byte[] wrapped = removable.wrap(ref, dataKey(), aad("a"));

        hsm.removeTokenFromAnotherProcess();

        assertThat(removable.usable(ref)).isFalse();
        assertThatThrownBy(() -> removable.unwrap(ref, wrapped, aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:on-removed-token/1");
        assertThatThrownBy(() -> removable.wrap(ref, dataKey(), aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:on-removed-token/1");
        assertThatThrownBy(() -> removable.current("on-removed-token"))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:on-removed-token");
    }

    @Test
    void aKeyRotatedElsewhereIsCurrentOnceTheLabelsAreReadAgain() {
        Pkcs11KeyProvider fresh = Pkcs11KeyProvider.open(hsm.settings(SoftHsm.PIN), Duration.ZERO);
        Pkcs11KeyProvider cached = Pkcs11KeyProvider.open(hsm.settings(SoftHsm.PIN), Duration.ofHours(1));
        KeyReference v1 = keys.createKey("rotated-by-another-node");
        assertThat(cached.current("rotated-by-another-node")).isEqualTo(v1);

        // The shared provider stands in for another Bulwark node on the same token.
        KeyReference v2 = keys.rotate("rotated-by-another-node");

        assertThat(fresh.current("rotated-by-another-node")).isEqualTo(v2);
        assertThat(cached.current("rotated-by-another-node")).as("within its max age").isEqualTo(v1);
        assertThat(cached.usable(v2)).isTrue(); // a named version is looked up on the token at once
        assertThat(cached.current("rotated-by-another-node")).as("usable re-read the labels").isEqualTo(v2);
    }

    @Test
    void aCachedCurrentVersionDeletedElsewhereIsDeniedNotReplacedByAnother() {
        Pkcs11KeyProvider cached = Pkcs11KeyProvider.open(hsm.settings(SoftHsm.PIN), Duration.ofHours(1));
        keys.createKey("current-deleted");
        KeyReference v2 = keys.rotate("current-deleted");
        assertThat(cached.current("current-deleted")).isEqualTo(v2);

        hsm.deleteFromAnotherProcess("current-deleted.2");

        KeyReference stale = cached.current("current-deleted");
        assertThatThrownBy(() -> cached.wrap(stale, dataKey(), aad("a")))
                .isInstanceOf(KeyAccessDeniedException.class).hasMessageContaining("pkcs11:current-deleted/2");
        assertThat(cached.current("current-deleted").version()).isEqualTo("1");
    }

    @Test
    void aWrongPinStopsStartupWithoutShowingThePin() {
        Pkcs11Settings wrong = hsm.otherTokenSettings("wrong-pin-31337");

        assertThatThrownBy(() -> Pkcs11KeyProvider.open(wrong))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot log in")
                .hasMessageContaining("slot " + wrong.slot())
                .hasMessageContaining(wrong.pin().source())
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("31337");
                    }
                });
        assertThat(wrong.toString()).doesNotContain("31337");
    }

    @Test
    void aMissingLibraryStopsStartup() {
        Pkcs11Settings s = hsm.settings(SoftHsm.PIN);
        Pkcs11Settings missing = new Pkcs11Settings(Path.of("/nonexistent/libpkcs11.so"), s.slot(), s.pin());

        assertThatThrownBy(() -> Pkcs11KeyProvider.open(missing))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/libpkcs11.so");
    }

    @Test
    void theProviderNeverShowsThePin() {
        assertThat(keys.toString()).doesNotContain(SoftHsm.PIN).contains("file:");
    }

    @Test
    void eightThreadsWrapAndUnwrapConcurrently() throws Exception {
        KeyReference a = keys.createKey("concurrent-a");
        KeyReference b = keys.createKey("concurrent-b");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                KeyReference ref = t % 2 == 0 ? a : b;
                byte[] ad = aad("thread-" + t);
                results.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 200; i++) {
                        byte[] dk = dataKey();
                        byte[] w = keys.wrap(ref, dk, ad);
                        if (!Arrays.equals(keys.unwrap(ref, w, ad), dk)) {
                            throw new AssertionError("round trip " + i + " returned other bytes");
                        }
                        done++;
                    }
                    return done;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(120, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
