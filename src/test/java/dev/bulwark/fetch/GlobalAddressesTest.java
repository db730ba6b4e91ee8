package dev.bulwark.fetch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The global-address table: every special-purpose range refused, clearly public addresses accepted. */
class GlobalAddressesTest {

    @ParameterizedTest(name = "{0} is global: {1}")
    @CsvSource({
            // IPv4: clearly global
            "8.8.8.8, true",
            "1.1.1.1, true",
            "93.184.216.34, true",
            "100.63.255.255, true",      // just below CGNAT
            "100.128.0.0, true",         // just above CGNAT
            "172.15.255.255, true",      // just below 172.16/12
            "172.32.0.0, true",          // just above 172.16/12
            "192.0.1.1, true",
            "198.17.255.255, true",
            "198.20.0.0, true",
            "223.255.255.255, true",
            // IPv4: refused
            "0.0.0.0, false",
            "0.1.2.3, false",
            "10.0.0.1, false",
            "10.255.255.255, false",
            "100.64.0.1, false",
            "100.127.255.255, false",
            "127.0.0.1, false",
            "127.255.255.254, false",
            "169.254.169.254, false",    // cloud metadata
            "169.254.0.1, false",
            "172.16.0.1, false",
            "172.31.255.255, false",
            "192.0.0.192, false",
            "192.0.2.1, false",
            "192.88.99.1, false",
            "192.168.1.1, false",
            "198.18.0.1, false",
            "198.19.255.255, false",
            "198.51.100.7, false",
            "203.0.113.9, false",
            "224.0.0.1, false",
            "239.255.255.250, false",
            "240.0.0.1, false",
            "255.255.255.255, false",
            // IPv6: clearly global
            "2606:4700::1111, true",
            "2001:4860:4860::8888, true",
            "2a00:1450:4001::1, true",
            "2001:db9::1, true",         // just past documentation
            "2001:1::1, true",           // 2001:1::/32 is not Teredo
            // IPv6: refused
            "::, false",
            "::1, false",
            "fe80::1, false",
            "febf:ffff::1, false",
            "fec0::1, false",
            "fc00::1, false",
            "fd00:ec2::254, false",      // AWS metadata over IPv6
            "ff02::1, false",
            "2001:db8::1, false",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2, false",  // Teredo
            "100::1, false",
            "64:ff9b:1::a00:1, false",   // local-use NAT64
            // IPv4 carried in IPv6: judged by the IPv4 address
            "::ffff:127.0.0.1, false",
            "::ffff:169.254.169.254, false",
            "::ffff:10.0.0.1, false",
            "::ffff:8.8.8.8, true",
            "::ffff:7f00:1, false",
            "::127.0.0.1, false",        // IPv4-compatible: refused whatever it carries
            "::8.8.8.8, false",
            "64:ff9b::127.0.0.1, false", // NAT64
            "64:ff9b::a9fe:a9fe, false", // NAT64 to the metadata service
            "64:ff9b::808:808, true",    // NAT64 to 8.8.8.8
            "2002:7f00:1::1, false",     // 6to4 of 127.0.0.1
            "2002:c0a8:101::1, false",   // 6to4 of 192.168.1.1
            "2002:a9fe:a9fe::, false",   // 6to4 of 169.254.169.254
            "2002:808:808::1, true",     // 6to4 of 8.8.8.8
    })
    void classifiesTheAddress(String text, boolean global) {
        byte[] bytes = IpLiteral.parse(text).orElseThrow();
        assertThat(GlobalAddresses.isGlobal(bytes)).isEqualTo(global);
    }

    @ParameterizedTest
    @CsvSource({"127.1", "0x7f.0.0.1", "017700000001", "2130706433", "127.0.0.01", "256.0.0.1", "1.2.3",
            "fe80::1%eth0", "[::1]", "localhost"})
    void legacyAndDisguisedAddressFormsAreNoLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
    }
}
