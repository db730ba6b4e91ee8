package dev.bulwark.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** URLs and redirect Locations: refused on anything parsers disagree about, rebuilt as targets. */
class UrlReferenceTest {
    private final FetchTarget base = new FetchTarget("https", "images.example", 443, "/a/b.png?x=1");

    @Test
    void absoluteUrlBecomesATarget() {
        assertThat(UrlReference.parseAbsolute("https://Images.Example:8443/p/q.png?s=1#frag"))
                .contains(new FetchTarget("https", "images.example", 8443, "/p/q.png?s=1"));
        assertThat(UrlReference.parseAbsolute("http://203.0.113.9")).contains(FetchTarget.of("http", "203.0.113.9", "/"));
        assertThat(UrlReference.parseAbsolute("https://[2606:4700::1111]/x"))
                .contains(FetchTarget.of("https", "[2606:4700::1111]", "/x"));
    }

    @Test
    void relativeLocationsResolveAgainstTheCurrentTarget() {
        assertThat(UrlReference.resolve(base, "c.png")).contains(FetchTarget.of("https", "images.example", "/a/c.png"));
        assertThat(UrlReference.resolve(base, "/root.png")).contains(FetchTarget.of("https", "images.example", "/root.png"));
        assertThat(UrlReference.resolve(base, "//other.example/x")).contains(FetchTarget.of("https", "other.example", "/x"));
        assertThat(UrlReference.resolve(base, "?y=2")).contains(FetchTarget.of("https", "images.example", "/a/?y=2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://user:pw@images.example/",      // userinfo
            "https://evil.example@127.0.0.1/",      // userinfo hiding the real host
            "https:\\\\127.0.0.1\\x",               // backslashes
            "/\\evil.example/x",
            "https://images.example/a b",           // whitespace
            " https://images.example/",
            "https://images.example/\t",
            "https://images.example/\u00e9",        // non-ASCII
            "ftp://images.example/x",
            "file:///etc/passwd",
            "gopher://127.0.0.1:6379/_x",
            "javascript:alert(1)",
            "http:images.example",                  // opaque
            "https://127.1/",                       // legacy address forms
            "https://2130706433/",
            "https://0x7f.0.0.1/",
            "https://a_b.example/",                 // no server authority for java.net.URI
            "https:///path",
            "https://images.example:0/",
            "https://images.example:99999/",
            ""})
    void badReferencesAreRefused(String reference) {
        assertThat(UrlReference.resolve(base, reference)).isEmpty();
    }

    @Test
    void relativeReferencesNeedABase() {
        assertThat(UrlReference.parseAbsolute("/x.png")).isEmpty();
    }
}
