package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceKeyProviderTest {
    final MasterKey master = EnvelopeCipherTest.masterKey();
    final byte[] dataKey = EnvelopeCipherTest.random(32);
    final byte[] aad = {4, 2};

    @Test
    void theNewestVersionIsPrimaryAndOlderOnesOnlyUnwrap() {
        ServiceKeyProvider v1 = ServiceKeyProvider.fromMasterKey(master, 1);
        KeyReference r1 = v1.current("service");
        byte[] w1 = v1.wrap(r1, dataKey, aad);

        ServiceKeyProvider v2 = ServiceKeyProvider.fromMasterKey(master, 2);
        KeyReference r2 = v2.current("service");
        assertThat(r2.version()).isEqualTo("v2");
        assertThat(v2.unwrap(r1, w1, aad)).isEqualTo(dataKey);
        assertThat(v2.resolve("service", "v1")).isEqualTo(r1);
        assertThatThrownBy(() -> v2.wrap(r1, dataKey, aad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWrapUnwrapsOnlyUnderItsVersionItsAssociatedDataAndTheSameMasterKey() {
        ServiceKeyProvider p = ServiceKeyProvider.fromMasterKey(master, 2);
        byte[] w = p.wrap(p.current("service"), dataKey, aad);
        assertThatThrownBy(() -> p.unwrap(p.resolve("service", "v1"), w, aad)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> p.unwrap(p.current("service"), w, new byte[] {4, 3})).isExactlyInstanceOf(CryptoException.class);
        ServiceKeyProvider other = ServiceKeyProvider.fromMasterKey(EnvelopeCipherTest.masterKey(), 2);
        assertThatThrownBy(() -> other.unwrap(other.current("service"), w, aad)).isExactlyInstanceOf(CryptoException.class);
    }

    @Test
    void unknownNamesAndVersionsFailClosed() {
        ServiceKeyProvider p = ServiceKeyProvider.fromMasterKey(master, 2, 3);
        assertThatThrownBy(() -> p.current("other")).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> p.resolve("service", "v1")).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> p.resolve("service", "v4")).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> p.unwrap(new KeyReference(KeySource.SERVICE, "service", "v1"), new byte[40], aad)).isExactlyInstanceOf(CryptoException.class);
        assertThatThrownBy(() -> ServiceKeyProvider.fromMasterKey(master, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServiceKeyProvider.fromMasterKey(master, 3, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsNoKeyMaterial() {
        assertThat(ServiceKeyProvider.fromMasterKey(master, 1).toString()).isEqualTo("ServiceKeyProvider[primary=service:service/v1, versions=1]");
    }
}
