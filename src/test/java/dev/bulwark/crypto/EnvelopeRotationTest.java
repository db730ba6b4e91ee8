package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeRotationTest {
    static final ObjectIdentity OBJ = new ObjectIdentity("acct-1", "document", "doc-1");
    static final byte[] DATA = "rotate me".getBytes(StandardCharsets.UTF_8);

    final MasterKey master = EnvelopeCipherTest.masterKey();
    final InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
    final KeyReference cmkV1 = vault.rotate("cmk");
    final CustomerKey cmk = new CustomerKey(KeySource.VAULT, "cmk", Optional.empty());

    EnvelopeCipher cipherWithServiceVersion(int primary) {
        return EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, primary), vault), DataKeyCache.disabled());
    }

    static KeyReference service(String version) {
        return new KeyReference(KeySource.SERVICE, "service", version);
    }

    @Test
    void aNewServiceVersionBecomesPrimaryAndRewrapMovesOldEnvelopesWithoutTouchingTheData() {
        EnvelopeCipher v1 = cipherWithServiceVersion(1);
        byte[] old = v1.seal(DATA, OBJ, Optional.of(cmk));
        assertThat(v1.keysOf(old).get(0)).isEqualTo(service("v1"));

        EnvelopeCipher v2 = cipherWithServiceVersion(2);
        assertThat(v2.keysOf(v2.seal(DATA, OBJ, Optional.empty()))).containsExactly(service("v2"));
        assertThat(v2.open(old, OBJ)).isEqualTo(DATA);

        byte[] moved = v2.rewrap(old, OBJ, Optional.of(cmk));
        assertThat(v2.keysOf(moved)).containsExactly(service("v2"), cmkV1);
        assertThat(v2.open(moved, OBJ)).isEqualTo(DATA);
        assertThat(body(moved)).isEqualTo(body(old));
        // nothing left to do: the same array comes back
        assertThat(v2.rewrap(moved, OBJ, Optional.of(cmk))).isSameAs(moved);
    }

    @Test
    void aRetiredServiceVersionNoLongerOpens() {
        byte[] old = cipherWithServiceVersion(1).seal(DATA, OBJ, Optional.empty());
        EnvelopeCipher onlyV2 = EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 2, 2)), DataKeyCache.disabled());
        assertThatThrownBy(() -> onlyV2.open(old, OBJ)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void rewrapFollowsANewCustomerKeyVersion() {
        EnvelopeCipher c = cipherWithServiceVersion(1);
        byte[] old = c.seal(DATA, OBJ, Optional.of(cmk));
        KeyReference cmkV2 = vault.rotate("cmk");
        byte[] moved = c.rewrap(old, OBJ, Optional.of(cmk));
        assertThat(c.keysOf(moved)).containsExactly(service("v1"), cmkV2);
        assertThat(body(moved)).isEqualTo(body(old));
        assertThat(c.open(moved, OBJ)).isEqualTo(DATA);
        // the outer wrapped key was kept as it was
        assertThat(EnvelopeHeader.parse(moved).layers().get(0).wrappedKey()).isEqualTo(EnvelopeHeader.parse(old).layers().get(0).wrappedKey());
    }

    @Test
    void turningTheCustomerKeyOnOrOffOrChangingItSealsAnew() {
        EnvelopeCipher c = cipherWithServiceVersion(1);
        byte[] single = c.seal(DATA, OBJ, Optional.empty());
        byte[] doubled = c.rewrap(single, OBJ, Optional.of(cmk));
        assertThat(c.keysOf(doubled)).containsExactly(service("v1"), cmkV1);
        assertThat(c.open(doubled, OBJ)).isEqualTo(DATA);

        KeyReference otherKey = vault.rotate("other");
        byte[] switched = c.rewrap(doubled, OBJ, Optional.of(new CustomerKey(KeySource.VAULT, "other", Optional.empty())));
        assertThat(c.keysOf(switched)).containsExactly(service("v1"), otherKey);
        assertThat(c.open(switched, OBJ)).isEqualTo(DATA);

        byte[] back = c.rewrap(switched, OBJ, Optional.empty());
        assertThat(c.keysOf(back)).containsExactly(service("v1"));
        assertThat(c.open(back, OBJ)).isEqualTo(DATA);
    }

    @Test
    void rewrapOfAnotherObjectsEnvelopeIsRefused() {
        EnvelopeCipher v1 = cipherWithServiceVersion(1);
        byte[] old = v1.seal(DATA, OBJ, Optional.of(cmk));
        EnvelopeCipher v2 = cipherWithServiceVersion(2);
        assertThatThrownBy(() -> v2.rewrap(old, new ObjectIdentity("acct-1", "document", "doc-2"), Optional.of(cmk)))
                .isExactlyInstanceOf(CryptoException.class);
    }

    static byte[] body(byte[] envelope) {
        return Arrays.copyOfRange(envelope, EnvelopeHeader.parse(envelope).length(), envelope.length);
    }
}
