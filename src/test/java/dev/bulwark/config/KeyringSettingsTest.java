package dev.bulwark.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keyring's settings: where the service key lives, how long data keys are cached. */
class KeyringSettingsTest {
    @Test
    void anHsmServiceKeyNeedsTheHsmAndASafeName() {
        assertThat(Settings.load(null, Map.of()).serviceKeyInHsm()).isEmpty();
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_SERVICE_KEY_PKCS11", "bulwark-root")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no HSM is configured");
        Map<String, String> hsm = Map.of("BULWARK_PKCS11_LIBRARY", "/usr/lib/softhsm/libsofthsm2.so", "BULWARK_PKCS11_SLOT", "7",
                "BULWARK_PKCS11_PIN", "env:HSM_PIN", "HSM_PIN", "1234");
        Map<String, String> named = new java.util.HashMap<>(hsm);
        named.put("BULWARK_SERVICE_KEY_PKCS11", "bulwark-root");
        assertThat(Settings.load(null, named).serviceKeyInHsm()).contains("bulwark-root");
        named.put("BULWARK_SERVICE_KEY_PKCS11", "root.1");
        assertThatThrownBy(() -> Settings.load(null, named)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("letters, digits");
    }

    @Test
    void theDataKeyCacheLifetimeIsBoundedAndZeroTurnsItOff() {
        assertThat(Settings.load(null, Map.of()).dataKeyCacheSeconds()).isEqualTo(60);
        assertThat(Settings.load(null, Map.of("BULWARK_DATA_KEY_CACHE_SECONDS", "0")).dataKeyCacheSeconds()).isZero();
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_DATA_KEY_CACHE_SECONDS", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 0 and 3600");
        assertThatThrownBy(() -> Settings.load(null, Map.of("BULWARK_CUSTOMER_KEY_CHECK_SECONDS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("between 1 and 3600");
    }
}
