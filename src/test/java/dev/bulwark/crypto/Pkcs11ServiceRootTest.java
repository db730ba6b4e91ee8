package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outer layer works with any provider for the service root, here one standing in for an HSM. */
class Pkcs11ServiceRootTest {
    static final ObjectIdentity OBJ = new ObjectIdentity("acct-1", "document", "doc-1");
    static final byte[] DATA = "in the hsm".getBytes(StandardCharsets.UTF_8);

    final InMemoryKeyProvider hsm = new InMemoryKeyProvider(KeySource.PKCS11);
    final KeyReference root = hsm.rotate("bulwark-root");
    final KeyReference customerInHsm = hsm.rotate("customer-a");
    final InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
    final KeyReference customerInVault = vault.rotate("cmk");
    final EnvelopeCipher cipher = new EnvelopeCipher(KeyProviders.of(hsm, vault), KeySource.PKCS11, "bulwark-root", DataKeyCache.withDefaults());

    @Test
    void anHsmServiceRootSealsOneAndTwoLayerEnvelopes() {
        byte[] single = cipher.seal(DATA, OBJ, Optional.empty());
        assertThat(cipher.keysOf(single)).containsExactly(root);
        assertThat(cipher.open(single, OBJ)).isEqualTo(DATA);

        byte[] vaultCmk = cipher.seal(DATA, OBJ, Optional.of(new CustomerKey(KeySource.VAULT, "cmk", Optional.empty())));
        assertThat(cipher.keysOf(vaultCmk)).containsExactly(root, customerInVault);
        assertThat(cipher.open(vaultCmk, OBJ)).isEqualTo(DATA);

        byte[] hsmCmk = cipher.seal(DATA, OBJ, Optional.of(new CustomerKey(KeySource.PKCS11, "customer-a", Optional.empty())));
        assertThat(cipher.keysOf(hsmCmk)).containsExactly(root, customerInHsm);
        assertThat(cipher.open(hsmCmk, OBJ)).isEqualTo(DATA);
    }

    @Test
    void movingTheServiceRootFromTheKeyringToTheHsmSealsOldEnvelopesAnew() {
        ServiceKeyProvider keyring = ServiceKeyProvider.fromMasterKey(EnvelopeCipherTest.masterKey(), 1);
        EnvelopeCipher builtIn = EnvelopeCipher.withServiceKey(KeyProviders.of(keyring, vault), DataKeyCache.disabled());
        byte[] old = builtIn.seal(DATA, OBJ, Optional.empty());

        EnvelopeCipher migrating = new EnvelopeCipher(KeyProviders.of(keyring, hsm, vault), KeySource.PKCS11, "bulwark-root", DataKeyCache.disabled());
        assertThat(migrating.open(old, OBJ)).isEqualTo(DATA);
        byte[] moved = migrating.rewrap(old, OBJ, Optional.empty());
        assertThat(migrating.keysOf(moved)).containsExactly(root);
        assertThat(migrating.open(moved, OBJ)).isEqualTo(DATA);

        // once moved, the keyring is no longer needed
        EnvelopeCipher hsmOnly = new EnvelopeCipher(KeyProviders.of(hsm, vault), KeySource.PKCS11, "bulwark-root", DataKeyCache.disabled());
        assertThat(hsmOnly.open(moved, OBJ)).isEqualTo(DATA);
        assertThatThrownBy(() -> hsmOnly.open(old, OBJ)).isExactlyInstanceOf(CryptoException.class);
    }
}
