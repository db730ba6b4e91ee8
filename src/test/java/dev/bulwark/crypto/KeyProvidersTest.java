package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyProvidersTest {
    @Test
    void aSourceWithoutAProviderIsRefused() {
        KeyProviders providers = KeyProviders.of(new InMemoryKeyProvider(KeySource.VAULT));
        assertThat(providers.require(KeySource.VAULT).source()).isEqualTo(KeySource.VAULT);
        assertThatThrownBy(() -> providers.require(KeySource.PKCS11)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> providers.require(null)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void twoProvidersForOneSourceStopTheStart() {
        assertThatThrownBy(() -> KeyProviders.of(new InMemoryKeyProvider(KeySource.VAULT), new InMemoryKeyProvider(KeySource.VAULT)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvelopeCipherNeedsItsServiceProviderAtStartup() {
        KeyProviders vaultOnly = KeyProviders.of(new InMemoryKeyProvider(KeySource.VAULT));
        assertThatThrownBy(() -> EnvelopeCipher.withServiceKey(vaultOnly, DataKeyCache.disabled())).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> new EnvelopeCipher(vaultOnly, KeySource.VAULT, "k", DataKeyCache.disabled())).isInstanceOf(IllegalArgumentException.class);
    }
}
