package dev.bulwark.network;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CidrTest {

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0/24=203.0.113.0/24", "1.2.3.4=1.2.3.4", "1.2.3.4/32=1.2.3.4",
            "0.0.0.0/0=0.0.0.0/0", "10.0.0.0/8=10.0.0.0/8", "2001:DB8::/32=2001:db8::/32", "::1=::1",
            "::1/128=::1", "::/0=::/0", "2001:db8:0:0:1::/80=2001:db8:0:0:1::/80", "fd00::/8=fd00::/8"})
    void parsesToCanonicalText(String pair) {
        String[] p = pair.split("=");
        assertThat(Cidr.parse(p[0]).toString()).isEqualTo(p[1]);
        assertThat(Cidr.parse(p[1])).isEqualTo(Cidr.parse(p[0]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/33", "::/129", "1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/08", "1.2.3.4/ 8",
            "1.2.3.4/8/8", "/8", "10.0.0.300/8", "1.2.3/24", "010.0.0.0/8", "fe80::%eth0/64", " 10.0.0.0/8",
            "10.0.0.0/8 ", "10.0.0.0 /8", "1.2.3.4/1000", "10.0.0.0/x"})
    void invalidEntriesAreRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostBitsAreRefusedNamingTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("203.0.113.5/24")).hasMessageContaining("host bits")
                .hasMessageContaining("'203.0.113.0/24'");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/64")).hasMessageContaining("'2001:db8::/64'");
        assertThatThrownBy(() -> Cidr.parse("1.2.3.4/0")).hasMessageContaining("'0.0.0.0/0'");
    }

    @Test
    void ipv4MappedNetworksAreRefusedWithTheIpv4FormToWrite() {
        assertThatThrownBy(() -> Cidr.parse("::ffff:10.0.0.0/104")).hasMessageContaining("'10.0.0.0/8'");
        assertThatThrownBy(() -> Cidr.parse("::ffff:1.2.3.4")).hasMessageContaining("'1.2.3.4'");
        // A wider IPv6 network that happens to cover the mapped range is fine (it matches IPv6 clients).
        assertThat(Cidr.parse("::/64").ipv4()).isFalse();
    }

    @Test
    void edgesOfANetworkAreInAndTheirNeighboursOut() {
        Cidr c = Cidr.parse("203.0.113.0/24");
        assertThat(c.contains(IpAddress.parse("203.0.113.0"))).isTrue();
        assertThat(c.contains(IpAddress.parse("203.0.113.255"))).isTrue();
        assertThat(c.contains(IpAddress.parse("203.0.112.255"))).isFalse();
        assertThat(c.contains(IpAddress.parse("203.0.114.0"))).isFalse();
        Cidr v6 = Cidr.parse("2001:db8::/64");
        assertThat(v6.contains(IpAddress.parse("2001:db8::"))).isTrue();
        assertThat(v6.contains(IpAddress.parse("2001:db8::ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(v6.contains(IpAddress.parse("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(v6.contains(IpAddress.parse("2001:db8:0:1::"))).isFalse();
    }

    @Test
    void slashZeroCoversItsWholeFamilyOnly() {
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(IpAddress.parse("::1"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("1.2.3.4"))).isFalse();
        assertThat(Cidr.parse("::/0").contains(IpAddress.parse("::ffff:1.2.3.4"))).isFalse();
    }

    @Test
    void mappedClientAddressesMatchIpv4Networks() {
        assertThat(Cidr.parse("192.0.2.0/24").contains(IpAddress.parse("::ffff:192.0.2.9"))).isTrue();
    }
}
