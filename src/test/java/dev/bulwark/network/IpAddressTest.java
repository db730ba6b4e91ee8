package dev.bulwark.network;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "10.0.0.1", "203.0.113.5", "1.2.3.4",
            "::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "fe80::1", "::ffff:1.2.3.4",
            "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1::2:3:4:5:6:7", "1:2:3:4:5:6:7::"})
    void validLiteralsParseToTheSameBytesAsTheJdk(String text) throws Exception {
        // InetAddress.getByName is safe here only because every input is known to be a literal.
        assertThat(IpAddress.parse(text)).isEqualTo(jdk(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1.2.3.4", "1.2.3.4 ", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3",
            "256.0.0.1", "10.0.0.300", "010.0.0.1", "1.2.3.04", "00.1.2.3", "1.2.3.a", "0x1.2.3.4", "1234.1.1.1",
            "-1.2.3.4", "+1.2.3.4", "１.2.3.4", "localhost", "example.com",
            "fe80::1%eth0", "fe80::1%1", "[::1]", ":::", "1:::2", "1::2::3", ":1::", "1::2:", ":1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "1.2.3.4::", "::1.2.3", "::1.2.3.256",
            "1:2:3:4:5:6:7:1.2.3.4", "::ffff:010.1.2.3", ": :", "1:2:3:4:5:6:7:8::"})
    void invalidOrAmbiguousTextIsRefused(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpAddress.parseOrNull(text)).isNull();
    }

    @Test
    void octalLookingOctetsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> IpAddress.parse("010.0.0.1")).hasMessageContaining("leading zero");
    }

    @Test
    void zoneIdsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> IpAddress.parse("fe80::1%eth0")).hasMessageContaining("zone");
    }

    @Test
    void hostNamesAreNeverResolved() {
        // Would resolve (and succeed) through InetAddress.getByName; here it is simply not a literal.
        assertThat(IpAddress.parseOrNull("localhost")).isNull();
    }

    @Test
    void ipv4MappedAddressesAreRecognisedAndUnmapped() {
        byte[] mapped = IpAddress.parse("::ffff:192.0.2.7");
        assertThat(mapped).hasSize(16);
        assertThat(IpAddress.isIpv4Mapped(mapped)).isTrue();
        assertThat(IpAddress.unmap(mapped)).containsExactly(192, 0, 2, 7);
        assertThat(IpAddress.isIpv4Mapped(IpAddress.parse("::192.0.2.7"))).isFalse();
        assertThat(IpAddress.isIpv4Mapped(IpAddress.parse("::fffe:192.0.2.7"))).isFalse();
        assertThat(IpAddress.isIpv4Mapped(IpAddress.parse("192.0.2.7"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:DB8:0:0:0:0:0:1=2001:db8::1", "0:0:0:0:0:0:0:1=::1", "0:0:0:0:0:0:0:0=::",
            "1:0:0:2:0:0:0:3=1:0:0:2::3", "1:0:2:0:3:0:4:0=1:0:2:0:3:0:4:0", "2001:db8:0:1:1:1:1:1=2001:db8:0:1:1:1:1:1",
            "1:0:0:2:2:0:0:3=1::2:2:0:0:3", "10.0.0.1=10.0.0.1"})
    void formatIsRfc5952(String pair) {
        String[] p = pair.split("=", -1);
        assertThat(IpAddress.format(IpAddress.parse(p[0]))).isEqualTo(p[1]);
    }

    private static byte[] jdk(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress().length == 4 && literal.contains(":")
                ? mapped(InetAddress.getByName(literal).getAddress())
                : InetAddress.getByName(literal).getAddress();
    }

    /** The JDK returns an Inet4Address for ::ffff:a.b.c.d; the parser keeps the 16 bytes. */
    private static byte[] mapped(byte[] v4) {
        byte[] a = new byte[16];
        a[10] = (byte) 0xff;
        a[11] = (byte) 0xff;
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }
}
