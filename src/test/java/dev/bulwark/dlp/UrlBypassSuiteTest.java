package dev.bulwark.dlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.service.UrlField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile URLs that try to get a fetch past an allow-list of {@code images.example.com},
 * {@code 203.0.113.7}, {@code cdn.example.org} and {@code 2001:db8::7}: every one must be refused,
 * both by the parser-plus-list decision and through {@link DlpCheck} on a request body. The allowed
 * URLs at the end must pass, so the suite cannot be satisfied by refusing everything.
 */
class UrlBypassSuiteTest {
    private static final AllowedFqdns LIST = AllowedFqdns.of(List.of("images.example.com", "203.0.113.7", "cdn.example.org", "2001:db8::7"));
    private static final DlpPolicy POLICY = DlpPolicy.restrictedTo(LIST);
    private static final UrlField FIELD = new UrlField("image_url.url");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> hostile() {
        return Stream.of(
                // Loopback in every numeric spelling a resolver or WHATWG parser accepts.
                "https://127.0.0.1/",
                "https://127.1/",
                "https://127.0.1/",
                "https://0177.0.0.1/",
                "https://0x7f.0.0.1/",
                "https://0x7f.1/",
                "https://0x7f000001/",
                "https://2130706433/",
                "https://017700000001/",
                "https://127.0.0.1./",
                "https://0/",
                "https://0.0.0.0/",
                // Cloud metadata (169.254.169.254) in decimal, octal, hex and short forms.
                "https://169.254.169.254/latest/meta-data/",
                "https://2852039166/",
                "https://0xa9fea9fe/",
                "https://0251.0376.0251.0376/",
                "https://169.254.43518/",
                "https://0xA9.0xFE.0xA9.0xFE/",
                // Non-canonical spellings of the allowed 203.0.113.7 (refused, not normalised).
                "https://203.0.113.07/",
                "https://203.0.28935/",
                "https://3405803783/",
                "https://0xcb007107/",
                "https://0313.0.0161.07/",
                "https://203.0.113.7.7/",
                "https://203.0.113.256/",
                "https://203.0.113.8/",
                "https://203.0.113.0x7/",
                // IPv6, bracketed or not, mapped, compatible, translated, with zones.
                "https://[::1]/",
                "https://[0:0:0:0:0:0:0:1]/",
                "https://[::]/",
                "https://[::ffff:127.0.0.1]/",
                "https://[::ffff:7f00:1]/",
                "https://[::ffff:169.254.169.254]/",
                "https://[::ffff:203.0.113.7]/",
                "https://[::203.0.113.7]/",
                "https://[::ffff:0:cb00:7107]/",
                "https://[64:ff9b::cb00:7107]/",
                "https://[fd00:ec2::254]/",
                "https://[2001:db8::8]/",
                "https://[2001:db8::7%25eth0]/",
                "https://[2001:db8::7]x/",
                "https://[v1.fe80::1]/",
                "https://::1/",
                "https://2001:db8::7/",
                // User info and '@' tricks.
                "https://images.example.com@evil.io/",
                "https://evil.io\\@images.example.com/",
                "https://user:pass@images.example.com/",
                "https://images.example.com:443@evil.io/",
                "https://images.example.com%40evil.io/",
                "https://evil.io#@images.example.com/",
                "https://evil.io?@images.example.com/",
                "https://evil.io/@images.example.com/",
                // Backslashes.
                "https://evil.io\\images.example.com/",
                "https:\\\\images.example.com\\",
                "https:/\\evil.io/",
                "https://images.example.com\\.evil.io/",
                "https://images.example.com/%5C..%5Cevil.io",
                // Fragments and queries do not move the host.
                "https://evil.io/#https://images.example.com/",
                "https://evil.io/?url=https://images.example.com/",
                // Whitespace, control characters and encoded characters.
                "https://images.example.com\t.evil.io/",
                "https://images.example.com\n@evil.io/",
                "https://images.example.com\r\n.evil.io/",
                " https://images.example.com/",
                "https://images.example.com/ ",
                "https://images.example.com\u0000.evil.io/",
                "https://evil.io\u3000images.example.com/",
                "https://images.example.com\u00A0/",
                "https://images.example.com%00.evil.io/",
                "https://images.example.com%2eevil.io/",
                "https://images.example.com%2Eevil.io/",
                "https://images.example.com%20/",
                "https://%69mages.example.com/",
                "https://images.example.com/a%0d%0aHost:evil.io",
                "https://images.example.com/%zz",
                "https://images.example.com/%",
                // Trailing dots.
                "https://images.example.com../",
                "https://evil.io./",
                "https://images.example.com.evil.io./",
                // Look-alike and Unicode hosts.
                "https://im\u0430ges.example.com/",
                "https://images.ex\u0430mple.com/",
                "https://\u0456mages.example.com/",
                "https://\u0131mages.example.com/",
                "https://images.example.com\u00AD/",
                "https://images\u200B.example.com/",
                "https://images\u200D.example.com/",
                "https://images.example.com\uFF0Eevil.io/",
                "https://images.example.com\u2024evil.io/",
                "https://xn--images-9ya.example.com/",
                "https://stra\u00DFe.example.com/",
                "https://images.example.com\u202E/",
                // Suffix, prefix and neighbour tricks.
                "https://images.example.com.evil.io/",
                "https://cdn.example.org.evil.io/",
                "https://evil-images.example.com/",
                "https://evilimages.example.com/",
                "https://images.example.com-evil.io/",
                "https://sub.images.example.com/",
                "https://example.com/",
                "https://images.example.co/",
                "https://images-example.com/",
                "https://203.0.113.7.nip.io/",
                "https://evil.io/images.example.com",
                // Other schemes and scheme-less forms.
                "http://images.example.com/",
                "ftp://images.example.com/",
                "file:///etc/passwd",
                "file://images.example.com/etc/passwd",
                "gopher://images.example.com:70/_",
                "javascript:alert(1)",
                "ws://images.example.com/",
                "blob:https://images.example.com/0a1b",
                "jar:https://evil.io/x.jar!/",
                "httpss://images.example.com/",
                "//images.example.com/a.png",
                "images.example.com/a.png",
                "https:images.example.com/",
                "https:/images.example.com/",
                "https:///images.example.com/",
                "https://",
                "",
                " data:image/png;base64,AAAA",
                // Ports.
                "https://images.example.com:99999/",
                "https://images.example.com:65536/",
                "https://images.example.com:0/",
                "https://images.example.com:/",
                "https://images.example.com:-1/",
                "https://images.example.com:+443/",
                "https://images.example.com:0x1bb/",
                "https://images.example.com:443:443/",
                "https://images.example.com:4\u0663/",
                // Length.
                "https://images.example.com/" + "a".repeat(OutboundUrl.MAX_LENGTH));
    }

    static Stream<String> allowed() {
        return Stream.of(
                "https://images.example.com/a.png",
                "https://images.example.com",
                "https://images.example.com/",
                "HTTPS://IMAGES.EXAMPLE.COM/a.png",
                "hTtPs://Images.Example.Com/a.png",
                "https://images.example.com./a.png",
                "https://images.example.com:443/a.png",
                "https://images.example.com:8443/a.png",
                "https://images.example.com/a.png?sig=abc%20def&x=1#part",
                "https://images.example.com?x=1",
                "https://images.example.com#top",
                "https://images.example.com/dir%2Fname/a.png",
                "https://images.example.com/@user/a.png",
                "https://203.0.113.7/img.png",
                "https://203.0.113.7:8443/img.png",
                "https://203.0.113.7./img.png",
                "https://cdn.example.org/x.jpg",
                "https://[2001:db8::7]/img.png",
                "https://[2001:DB8:0:0:0:0:0:7]:443/img.png",
                // IDNA maps the ideographic full stop (U+3002) and full-width letters to exactly
                // "images.example.com"; every UTS 46 fetcher does the same, so this is the allowed host.
                "https://images\u3002example\u3002com/a.png",
                "https://\uFF49\uFF4D\uFF41\uFF47\uFF45\uFF53.example.com/a.png");
    }

    private static boolean passes(String url) {
        return switch (OutboundUrl.parse(url, false)) {
            case ParseResult.Data d -> true;
            case ParseResult.Valid v -> LIST.allows(v);
            case ParseResult.Invalid i -> false;
        };
    }

    private static ObjectNode body(String url) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("image_url").put("url", url);
        return body;
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileUrlIsRefused(String url) {
        assertThat(passes(url)).as(url).isFalse();
        assertThat(DlpCheck.check(List.of(FIELD), body(url), POLICY)).as(url).isPresent()
                .get().extracting(DlpViolation::parameter).isEqualTo("image_url.url");
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void allowedUrlIsAccepted(String url) {
        assertThat(passes(url)).as(url).isTrue();
        assertThat(DlpCheck.check(List.of(FIELD), body(url), POLICY)).as(url).isEmpty();
    }

    @Test
    void suiteHasAtLeastSixtyHostileCases() {
        assertThat(hostile().count()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void dataUrlsAreNotOutboundAndPass() {
        assertThat(DlpCheck.check(List.of(FIELD), body("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), POLICY)).isEmpty();
        assertThat(DlpCheck.check(List.of(FIELD), body("DATA:text/plain,hello"), POLICY)).isEmpty();
    }
}
