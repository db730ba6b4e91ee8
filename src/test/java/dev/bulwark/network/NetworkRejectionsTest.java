package dev.bulwark.network;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkRejectionsTest {

    @Test
    void bodiesAreExactlyWireMds() {
        assertThat(new String(NetworkRejections.firewallBody(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":{\"code\":\"403\",\"message\":\"Access denied due to Virtual Network/Firewall rules.\"}}");
        assertThat(new String(NetworkRejections.privateEndpointBody(), StandardCharsets.UTF_8))
                .isEqualTo("{\"error\":{\"code\":\"403\",\"message\":\"Traffic is not from an approved private endpoint.\"}}");
    }

    @Test
    void eachRefusalMapsToItsSharedBody() {
        assertThat(NetworkRejections.body(NetworkVerdict.DENY_FIREWALL)).isSameAs(NetworkRejections.firewallBody());
        assertThat(NetworkRejections.body(NetworkVerdict.DENY_PUBLIC_ACCESS)).isSameAs(NetworkRejections.privateEndpointBody());
        assertThatThrownBy(() -> NetworkRejections.body(NetworkVerdict.ALLOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
