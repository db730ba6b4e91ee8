package dev.bulwark.dlp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundUrlTest {

    private static ParseResult.Valid valid(String url) {
        ParseResult r = OutboundUrl.parse(url, false);
        assertThat(r).as(url).isInstanceOf(ParseResult.Valid.class);
        return (ParseResult.Valid) r;
    }

    private static String reason(String url) {
        ParseResult r = OutboundUrl.parse(url, false);
        assertThat(r).as(url).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) r).reason();
    }

    @Test
    void splitsAPlainHttpsUrlIntoItsParts() {
        assertThat(valid("https://images.example.com:8443/a/b.png?sig=1&x=%20y#frag"))
                .isEqualTo(new ParseResult.Valid("https", "images.example.com", HostKind.DNS, 8443, "/a/b.png", "sig=1&x=%20y", "frag"));
    }

    @Test
    void fillsInTheSchemesDefaultPort() {
        assertThat(valid("https://a.example").port()).isEqualTo(443);
        assertThat(((ParseResult.Valid) OutboundUrl.parse("http://a.example", true)).port()).isEqualTo(80);
    }

    @Test
    void schemeAndHostAreCaseInsensitiveAndComeOutLowerCase() {
        ParseResult.Valid v = valid("HTTPS://Images.EXAMPLE.com/Path");
        assertThat(v.scheme()).isEqualTo("https");
        assertThat(v.host()).isEqualTo("images.example.com");
        assertThat(v.path()).isEqualTo("/Path");
    }

    @Test
    void httpIsRefusedUnlessAllowed() {
        assertThat(OutboundUrl.parse("http://a.example/", false)).isInstanceOf(ParseResult.Invalid.class);
        assertThat(OutboundUrl.parse("http://a.example/", true)).isInstanceOf(ParseResult.Valid.class);
        assertThat(OutboundUrl.parse("ftp://a.example/", true)).isInstanceOf(ParseResult.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"data:image/png;base64,AAAA", "DATA:,x", "Data:text/plain;charset=utf-8,hello world\n"})
    void dataUrlsAreRecognisedAndNotInspected(String url) {
        assertThat(OutboundUrl.parse(url, false)).isInstanceOf(ParseResult.Data.class);
    }

    @Test
    void oneTrailingDotIsRemovedTwoAreRefused() {
        assertThat(valid("https://a.example./").host()).isEqualTo("a.example");
        assertThat(reason("https://a.example../")).contains("trailing dot");
        assertThat(reason("https://./")).contains("trailing dot");
    }

    @Test
    void canonicalDottedQuadIsAnIpv4Host() {
        ParseResult.Valid v = valid("https://203.0.113.7/");
        assertThat(v.kind()).isEqualTo(HostKind.IPV4);
        assertThat(v.host()).isEqualTo("203.0.113.7");
        assertThat(valid("https://0.0.0.0/").kind()).isEqualTo(HostKind.IPV4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "0177.0.0.1", "0x7f.0.0.1", "0X7F.0.0.1", "2130706433", "0x7f000001", "127.0.0.01", "1.2.3.0x", "1.2.3.4.5"})
    void nonCanonicalIpv4FormsAreRefusedNotNormalised(String host) {
        assertThat(reason("https://" + host + "/")).contains("IPv4");
    }

    @Test
    void aNameWhoseLastLabelIsNotNumericIsADnsName() {
        assertThat(valid("https://0x7f.0.0.1.nip.io/").kind()).isEqualTo(HostKind.DNS);
        assertThat(valid("https://1.2.3.4a/").kind()).isEqualTo(HostKind.DNS);
    }

    @ParameterizedTest
    @CsvSource({
            "[2001:DB8:0:0:0:0:0:1], 2001:db8::1",
            "[2001:db8::0001], 2001:db8::1",
            "[2001:0:0:1:0:0:0:1], 2001:0:0:1::1",
            "[2001:db8:0:0:1:0:0:1], 2001:db8::1:0:0:1",
            "[fe80::], fe80::",
            "[1:2:3:4:5:6:7:8], 1:2:3:4:5:6:7:8",
            "[1:0:3:4:5:6:7:8], 1:0:3:4:5:6:7:8",
            "[2001:db8::203.0.113.7], 2001:db8::cb00:7107"})
    void ipv6IsNormalisedToRfc5952(String literal, String expected) {
        ParseResult.Valid v = valid("https://" + literal + ":8443/");
        assertThat(v.host()).isEqualTo(expected);
        assertThat(v.kind()).isEqualTo(HostKind.IPV6);
        assertThat(v.port()).isEqualTo(8443);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:203.0.113.7", "::ffff:cb00:7107", "::203.0.113.7", "::1", "::", "::ffff:0:cb00:7107", "64:ff9b::cb00:7107"})
    void ipv6ThatEmbedsIpv4IsRefused(String address) {
        assertThat(reason("https://[" + address + "]/")).contains("embeds an IPv4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::1]", "[:1::2]", "[1:2:3:4:5:6:7:8::]",
            "[g::1]", "[2001:db8::203.0.113.07]", "[203.0.113.7::1]", "[]", "[2001:db8::1", "2001:db8::1]"})
    void malformedIpv6IsRefused(String literal) {
        assertThat(OutboundUrl.parse("https://" + literal + "/", false)).as(literal).isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void idnaHostsComeOutInTheirAsciiForm() {
        assertThat(valid("https://b\u00FCcher.example/").host()).isEqualTo("xn--bcher-kva.example");
        assertThat(valid("https://B\u00DCCHER.example/").host()).isEqualTo("xn--bcher-kva.example");
        assertThat(valid("https://images\u3002example\u3002com/").host()).isEqualTo("images.example.com");
        assertThat(valid("https://images.example.com\u3002/").host()).isEqualTo("images.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stra\u00DFe.example", "\u03C3\u03BF\u03C6\u03BF\u03C2.example", "a\u200Cb.example", "a\u00ADb.example", "a\uFE0F.example", "a\u034Fb.example"})
    void hostsWhereIdnaVersionsDisagreeAreRefused(String host) {
        assertThat(reason("https://" + host + "/")).contains("IDNA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ex_ample.com", "-a.example", "a-.example", "a..example", ".a.example", "a!.example"})
    void hostsBreakingStd3RulesAreRefused(String host) {
        assertThat(OutboundUrl.parse("https://" + host + "/", false)).as(host).isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void labelAndNameLengthsAreEnforced() {
        assertThat(valid("https://" + "a".repeat(63) + ".example/").kind()).isEqualTo(HostKind.DNS);
        assertThat(reason("https://" + "a".repeat(64) + ".example/")).contains("label longer");
        String longName = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThat(reason("https://" + longName + "/")).contains("longer than 253");
    }

    @Test
    void lengthLimitAppliesToOutboundUrlsNotDataUrls() {
        String base = "https://a.example/";
        assertThat(OutboundUrl.parse(base + "x".repeat(OutboundUrl.MAX_LENGTH - base.length()), false)).isInstanceOf(ParseResult.Valid.class);
        assertThat(reason(base + "x".repeat(OutboundUrl.MAX_LENGTH - base.length() + 1))).contains("longer");
        assertThat(OutboundUrl.parse("data:," + "x".repeat(100_000), false)).isInstanceOf(ParseResult.Data.class);
    }

    @Test
    void percentEncodingIsAllowedInThePathButNotTheAuthority() {
        assertThat(valid("https://a.example/a%2Fb%20c?q=%41").path()).isEqualTo("/a%2Fb%20c");
        assertThat(reason("https://a%2Eexample/")).contains("percent-encoding in the host");
        assertThat(reason("https://a.example:44%33/")).contains("percent-encoding in the host");
    }

    @Test
    void portMustBeOneTo65535InAsciiDigits() {
        assertThat(valid("https://a.example:1/").port()).isEqualTo(1);
        assertThat(valid("https://a.example:65535/").port()).isEqualTo(65535);
        assertThat(reason("https://a.example:65536/")).contains("port");
        assertThat(reason("https://a.example:0/")).contains("port");
        assertThat(reason("https://a.example:/")).contains("port");
        assertThat(reason("https://a.example:443:443/")).contains("more than one ':'");
    }

    @Test
    void nullIsInvalid() {
        assertThat(OutboundUrl.parse(null, false)).isInstanceOf(ParseResult.Invalid.class);
    }

    @Test
    void userInfoIsRefusedEvenForAnAllowedLookingHost() {
        assertThat(reason("https://user@a.example/")).contains("user info");
        assertThat(reason("https://:@a.example/")).contains("user info");
    }

    @Test
    void atSignAfterTheAuthorityIsJustPath() {
        assertThat(valid("https://a.example/@b.example").host()).isEqualTo("a.example");
    }
}
