package dev.bulwark.crypto;

import dev.bulwark.config.SecretValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void eachSealUsesItsOwnDataKey() {
        byte[] p = "same".getBytes(StandardCharsets.UTF_8);
        byte[] a = cipher.seal(p, OBJ, Optional.of(cmk));
        byte[] b = cipher.seal(p, OBJ, Optional.of(cmk));
        assertThat(a).isNotEqualTo(b);
        EnvelopeHeader ha = EnvelopeHeader.parse(a);
        EnvelopeHeader hb = EnvelopeHeader.parse(b);
        for (int i = 0; i < 2; i++) {
            assertThat(ha.layers().get(i).wrappedKey()).isNotEqualTo(hb.layers().get(i).wrappedKey());
        }
        assertThat(Arrays.copyOfRange(a, ha.length(), a.length)).isNotEqualTo(Arrays.copyOfRange(b, hb.length(), b.length));
    }

    @Test
    void everyFlippedByteIsRefused() {
        for (Optional<CustomerKey> ck : List.of(Optional.<CustomerKey>empty(), Optional.of(cmk))) {
            byte[] env = cipher.seal("small secret".getBytes(StandardCharsets.UTF_8), OBJ, ck);
            for (int i = 0; i < env.length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] t = env.clone();
                    t[i] ^= (byte) bit;
                    int at = i;
                    assertThatThrownBy(() -> cipher.open(t, OBJ)).as("byte %d bit %x", at, bit).isExactlyInstanceOf(CryptoException.class);
                }
            }
        }
    }

    @Test
    void everyTruncationIsRefused() {
        byte[] env = cipher.seal("small secret".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(cmk));
        for (int len = 0; len < env.length; len++) {
            byte[] t = Arrays.copyOf(env, len);
            assertThatThrownBy(() -> cipher.open(t, OBJ)).isExactlyInstanceOf(CryptoException.class);
            if (len < EnvelopeHeader.parse(env).length() + Aes256Gcm.OVERHEAD) {
                assertThatThrownBy(() -> cipher.keysOf(t)).isExactlyInstanceOf(CryptoException.class);
            }
        }
        byte[] longer = Arrays.copyOf(env, env.length + 1);
        assertThatThrownBy(() -> cipher.open(longer, OBJ)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> cipher.open(null, OBJ)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void anEnvelopeMovedToAnotherObjectKindOrAccountIsRefused() {
        for (Optional<CustomerKey> ck : List.of(Optional.<CustomerKey>empty(), Optional.of(cmk))) {
            byte[] env = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, ck);
            for (ObjectIdentity other : List.of(
                    new ObjectIdentity("acct-1", "document", "doc-2"),
                    new ObjectIdentity("acct-1", "model", "doc-1"),
                    new ObjectIdentity("acct-2", "document", "doc-1"),
                    new ObjectIdentity("", "document", "doc-1"))) {
                assertThatThrownBy(() -> cipher.open(env, other)).isExactlyInstanceOf(CryptoException.class);
            }
        }
    }

    @Test
    void aHeaderOrWrappedKeyFromAnotherEnvelopeIsRefused() {
        byte[] a = cipher.seal("aaaa".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(cmk));
        byte[] b = cipher.seal("bbbb".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(cmk));
        EnvelopeHeader ha = EnvelopeHeader.parse(a);
        EnvelopeHeader hb = EnvelopeHeader.parse(b);
        byte[] bodyA = Arrays.copyOfRange(a, ha.length(), a.length);
        // the whole header of b on the body of a
        assertThatThrownBy(() -> cipher.open(concat(hb.encode(), bodyA), OBJ)).isExactlyInstanceOf(CryptoException.class);
        // one layer (outer, then inner) of b spliced into a
        for (int i = 0; i < 2; i++) {
            List<EnvelopeHeader.Layer> layers = new ArrayList<>(ha.layers());
            layers.set(i, hb.layers().get(i));
            byte[] spliced = concat(EnvelopeHeader.of(layers).encode(), bodyA);
            assertThatThrownBy(() -> cipher.open(spliced, OBJ)).isExactlyInstanceOf(CryptoException.class);
        }
        // the outer and inner wrapped keys swapped in position
        byte[] sealedSingle = cipher.seal("cccc".getBytes(StandardCharsets.UTF_8), OBJ, Optional.empty());
        EnvelopeHeader hs = EnvelopeHeader.parse(sealedSingle);
        List<EnvelopeHeader.Layer> stripped = List.of(ha.layers().get(0));
        assertThatThrownBy(() -> cipher.open(concat(EnvelopeHeader.of(stripped).encode(), bodyA), OBJ)).isExactlyInstanceOf(CryptoException.class);
        List<EnvelopeHeader.Layer> added = List.of(hs.layers().get(0), ha.layers().get(1));
        byte[] bodyS = Arrays.copyOfRange(sealedSingle, hs.length(), sealedSingle.length);
        assertThatThrownBy(() -> cipher.open(concat(EnvelopeHeader.of(added).encode(), bodyS), OBJ)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void aKeySourceWithNoProviderIsRefused() {
        byte[] env = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(cmk));
        EnvelopeCipher noVault = EnvelopeCipher.withServiceKey(
                KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1)), DataKeyCache.withDefaults());
        assertThatThrownBy(() -> noVault.open(env, OBJ)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> noVault.seal(new byte[1], OBJ, Optional.of(cmk))).isExactlyInstanceOf(CryptoException.class);
        // an unknown source wire id in the header
        byte[] t = replaceFirst(env, "vault".getBytes(StandardCharsets.US_ASCII), "vaulx".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> cipher.open(t, OBJ)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> cipher.keysOf(t)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void oversizedOrMalformedLengthsAreRefusedCleanly() {
        byte[] env = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, Optional.empty());
        int wrappedLengthAt = 5 + 1 + "service".length() + 1 + "service".length() + 1 + "v1".length();
        for (int v : new int[] {0xffff, EnvelopeHeader.MAX_WRAPPED_KEY + 1, 0, env.length}) {
            byte[] t = env.clone();
            t[wrappedLengthAt] = (byte) (v >>> 8);
            t[wrappedLengthAt + 1] = (byte) v;
            assertThatThrownBy(() -> cipher.open(t, OBJ)).isExactlyInstanceOf(CryptoException.class);
        }
        for (int count : new int[] {0, 3, 255}) {
            byte[] t = env.clone();
            t[4] = (byte) count;
            assertThatThrownBy(() -> cipher.open(t, OBJ)).isExactlyInstanceOf(CryptoException.class);
        }
        byte[] nameTooLong = env.clone();
        nameTooLong[5] = (byte) 0xff;
        assertThatThrownBy(() -> cipher.open(nameTooLong, OBJ)).isExactlyInstanceOf(CryptoException.class);
        byte[] badVersion = replaceFirst(env, "v1".getBytes(StandardCharsets.US_ASCII), new byte[] {'v', (byte) 0xe9});
        assertThatThrownBy(() -> cipher.open(badVersion, OBJ)).isExactlyInstanceOf(CryptoException.class);
        byte[] wrongMagic = env.clone();
        wrongMagic[3] = 2;
        assertThatThrownBy(() -> cipher.keysOf(wrongMagic)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void aServiceLayerWhereTheCustomerLayerBelongsIsRefused() {
        byte[] env = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, Optional.empty());
        EnvelopeHeader h = EnvelopeHeader.parse(env);
        byte[] twoService = concat(new byte[] {'B', 'W', 'E', 1, 2}, Arrays.copyOfRange(env, 5, h.length()),
                Arrays.copyOfRange(env, 5, h.length()), Arrays.copyOfRange(env, h.length(), env.length));
        assertThatThrownBy(() -> cipher.keysOf(twoService)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void aPinnedCustomerKeyVersionIsUsedEvenAfterRotation() {
        vault.rotate("cmk");
        CustomerKey pinned = new CustomerKey(KeySource.VAULT, "cmk", Optional.of("1"));
        byte[] env = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(pinned));
        assertThat(cipher.keysOf(env).get(1)).isEqualTo(cmkV1);
        byte[] following = cipher.seal("x".getBytes(StandardCharsets.UTF_8), OBJ, Optional.of(cmk));
        assertThat(cipher.keysOf(following).get(1).version()).isEqualTo("2");
    }

    @Test
    void concurrentSealAndOpenFromEightThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<Integer> job = () -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        ObjectIdentity id = new ObjectIdentity("acct-" + thread, "document", "doc-" + i);
                        byte[] p = ("payload " + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
                        Optional<CustomerKey> ck = i % 2 == 0 ? Optional.of(cmk) : Optional.empty();
                        byte[] env = cipher.seal(p, id, ck);
                        if (Arrays.equals(cipher.open(env, id), p) && Arrays.equals(cipher.open(env, id), p)) {
                            ok++;
                        }
                    }
                    return ok;
                };
                results.add(pool.submit(job));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] replaceFirst(byte[] in, byte[] what, byte[] with) {
        for (int i = 0; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                byte[] out = in.clone();
                System.arraycopy(with, 0, out, i, with.length);
                return out;
            }
        }
        throw new AssertionError("pattern not found");
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
