package dev.bulwark.fetch;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.TrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetcher against local Vert.x servers: a fake resolver maps test names to loopback addresses,
 * and the policy allows exactly the loopback block a test needs to connect to.
 */
class SafeFetcherTest {
    /** A cold JVM's first TLS handshake can take seconds on a busy machine: generous timeouts for the TLS tests. */
    private static final FetchPolicy TLS_POLICY =
            FetchPolicy.allowing("127.0.0.0/8").withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(20));
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};

    private final Vertx vertx = Vertx.vertx();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<HttpServerRequest>> routes = new ConcurrentHashMap<>();
    private final List<SafeFetcher> fetchers = new CopyOnWriteArrayList<>();
    private int port;

    /** What the server saw of one request: the path, the Host header, the address it was accepted on, headers. */
    record Seen(String path, String host, String localAddress, String userAgent, boolean cookieOrAuth, String sni) {
    }

    @BeforeEach
    void start() throws Exception {
        port = listen("127.0.0.1", new HttpServerOptions());
        routes.put("/img", r -> r.response().putHeader("content-type", "image/png").end(Buffer.buffer(PNG)));
    }

    @AfterEach
    void stop() throws Exception {
        fetchers.forEach(SafeFetcher::close);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private int listen(String address, HttpServerOptions options) throws Exception {
        HttpServer server = vertx.createHttpServer(options.setHost(address).setPort(0)).requestHandler(r -> {
            seen.add(new Seen(r.path(), r.getHeader("host"), r.connection().localAddress().hostAddress(),
                    r.getHeader("user-agent"), r.getHeader("cookie") != null || r.getHeader("authorization") != null,
                    r.connection().indicatedServerName()));
            routes.getOrDefault(r.path(), x -> x.response().setStatusCode(404).end()).accept(r);
        });
        return server.listen().await(10, TimeUnit.SECONDS).actualPort();
    }

    private void redirect(String from, String location) {
        routes.put(from, r -> r.response().setStatusCode(302).putHeader("location", location).end());
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Names ending in .test resolve as mapped; every other name is unknown. */
    private static Resolver names(Map<String, String> map) {
        return host -> {
            String a = map.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return List.of(a.split(",")).stream().map(SafeFetcherTest::ip).toList();
        };
    }

    private SafeFetcher fetcher(FetchPolicy policy, Resolver resolver) {
        return fetcher(policy, resolver, null);
    }

    private SafeFetcher fetcher(FetchPolicy policy, Resolver resolver, TrustOptions trust) {
        SafeFetcher f = new SafeFetcher(vertx, policy, resolver, trust);
        fetchers.add(f);
        return f;
    }

    private FetchTarget images(String path) {
        return new FetchTarget("http", "images.test", port, path);
    }

    private static FetchResult await(io.vertx.core.Future<FetchResult> f) {
        try {
            return f.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String refusal(FetchResult r) {
        assertThat(r).isInstanceOf(FetchResult.Refused.class);
        return ((FetchResult.Refused) r).reason();
    }

    @Test
    void connectsToThePinnedAddressWithTheNameAsHost() {
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        FetchResult r = await(f.fetch(images("/img"), SafeFetcher.Accept.IMAGES));

        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        assertThat(((FetchResult.Fetched) r).bytes()).isEqualTo(PNG);
        assertThat(((FetchResult.Fetched) r).contentType()).isEqualTo("image/png");
        Seen s = seen.get(0);
        assertThat(s.host()).isEqualTo("images.test:" + port);
        assertThat(s.localAddress()).isEqualTo("127.0.0.1");
        assertThat(s.userAgent()).isEqualTo("Bulwark-Fetcher");
        assertThat(s.cookieOrAuth()).isFalse();
    }

    @Test
    void loopbackIsRefusedWithoutAnAllowList() {
        SafeFetcher f = fetcher(FetchPolicy.defaults(), names(Map.of("images.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/img"), SafeFetcher.Accept.ANY))))
                .isEqualTo("images.test resolves to an address that may not be fetched");
        assertThat(refusal(await(f.fetch("http://127.0.0.1:" + port + "/img", SafeFetcher.Accept.ANY))))
                .contains("may not be fetched");
        assertThat(seen).isEmpty();
    }

    @Test
    void aRedirectHopTheCallerDoesNotAcceptIsRefusedBeforeItIsContacted() {
        // Both hosts resolve to loopback, which the fetch policy allows: only the caller's test tells them apart,
        // as an account's allowedFqdnList does for an open redirect on an allowed host.
        redirect("/r", "http://elsewhere.test:" + port + "/img");
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"),
                names(Map.of("images.test", "127.0.0.1", "elsewhere.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/r"), SafeFetcher.Accept.ANY, hop -> hop.host().equals("images.test")))))
                .isEqualTo("images.test redirected to a host this request may not reach");
        assertThat(seen).extracting(Seen::path).containsExactly("/r");
        seen.clear();
        assertThat(await(f.fetch(images("/r"), SafeFetcher.Accept.ANY, hop -> true))).isInstanceOf(FetchResult.Fetched.class);
        assertThat(seen).extracting(Seen::path).containsExactly("/r", "/img");
    }

    @Test
    void redirectToTheMetadataServiceIsRefused() {
        redirect("/r", "http://169.254.169.254/latest/meta-data/");
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/r"), SafeFetcher.Accept.ANY)))).contains("may not be fetched");
        assertThat(seen).extracting(Seen::path).containsExactly("/r");
    }

    @Test
    void redirectToANameThatResolvesPrivateIsRefused() {
        redirect("/r", "http://internal.test:" + port + "/img");
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"),
                names(Map.of("images.test", "127.0.0.1", "internal.test", "10.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/r"), SafeFetcher.Accept.ANY))))
                .isEqualTo("internal.test resolves to an address that may not be fetched");
        assertThat(seen).extracting(Seen::path).containsExactly("/r");
    }

    @Test
    void dnsRebindingCannotMoveTheConnection() throws Exception {
        // 127.0.0.2 stands in for the public address (the only one allowed); 127.0.0.1 is the
        // internal address a rebinding resolver gives on every question after the first.
        int rebindPort = listen("127.0.0.2", new HttpServerOptions());
        AtomicInteger calls = new AtomicInteger();
        Resolver rebinding = host -> List.of(ip(calls.incrementAndGet() == 1 ? "127.0.0.2" : "127.0.0.1"));
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.2/32"), rebinding);

        FetchResult r = await(f.fetch(new FetchTarget("http", "images.test", rebindPort, "/img"), SafeFetcher.Accept.IMAGES));

        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        assertThat(calls).hasValue(1);
        assertThat(seen).extracting(Seen::localAddress).containsExactly("127.0.0.2");
    }

    @Test
    void eachRedirectHopIsResolvedAndCheckedAgain() throws Exception {
        int rebindPort = listen("127.0.0.2", new HttpServerOptions());
        redirect("/r", "/img");
        AtomicInteger calls = new AtomicInteger();
        Resolver rebinding = host -> List.of(ip(calls.incrementAndGet() == 1 ? "127.0.0.2" : "127.0.0.1"));
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.2/32"), rebinding);

        FetchResult r = await(f.fetch(new FetchTarget("http", "images.test", rebindPort, "/r"), SafeFetcher.Accept.ANY));

        assertThat(refusal(r)).contains("may not be fetched");
        assertThat(calls).hasValue(2);
        assertThat(seen).extracting(Seen::path).containsExactly("/r");
    }

    @Test
    void mixedAnswersAreRefusedBeforeAnyConnection() {
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1,10.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/img"), SafeFetcher.Accept.ANY)))).contains("may not be fetched");
        assertThat(seen).isEmpty();
    }

    @Test
    void bodiesOverTheLimitAreRefused() {
        byte[] big = new byte[64 * 1024];
        routes.put("/declared", r -> r.response().putHeader("content-type", "image/png").end(Buffer.buffer(big)));
        routes.put("/chunked", r -> {
            r.response().setChunked(true).putHeader("content-type", "image/png");
            for (int i = 0; i < 16; i++) {
                r.response().write(Buffer.buffer(new byte[4096]));
            }
            r.response().end();
        });
        routes.put("/fits", r -> r.response().putHeader("content-type", "image/png").end(Buffer.buffer(new byte[1024])));
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8").withMaxBodyBytes(1024),
                names(Map.of("images.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/declared"), SafeFetcher.Accept.IMAGES)))).contains("larger than 1024 bytes");
        assertThat(refusal(await(f.fetch(images("/chunked"), SafeFetcher.Accept.IMAGES)))).contains("larger than 1024 bytes");
        assertThat(await(f.fetch(images("/fits"), SafeFetcher.Accept.IMAGES))).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void aServerThatNeverAnswersRunsOutOfTime() {
        routes.put("/hang", r -> { });
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8").withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500)),
                names(Map.of("images.test", "127.0.0.1")));

        long start = System.nanoTime();
        String reason = refusal(await(f.fetch(images("/hang"), SafeFetcher.Accept.ANY)));

        assertThat(reason).contains("took longer than");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void threeRedirectsAreFollowedAndAFourthIsRefused() {
        redirect("/1", "/2");
        redirect("/2", "/3");
        redirect("/3", "/img");
        redirect("/0", "/1");
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        assertThat(await(f.fetch(images("/1"), SafeFetcher.Accept.IMAGES))).isInstanceOf(FetchResult.Fetched.class);
        seen.clear();
        assertThat(refusal(await(f.fetch(images("/0"), SafeFetcher.Accept.IMAGES)))).isEqualTo("more than 3 redirects");
        assertThat(seen).extracting(Seen::path).containsExactly("/0", "/1", "/2", "/3");
    }

    @Test
    void badLocationsAreRefused() {
        redirect("/userinfo", "http://evil.test@127.0.0.1:" + port + "/img");
        redirect("/backslash", "http:\\\\127.0.0.1\\img");
        redirect("/ftp", "ftp://images.test/img");
        routes.put("/nolocation", r -> r.response().setStatusCode(302).end());
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        for (String path : List.of("/userinfo", "/backslash", "/ftp", "/nolocation")) {
            assertThat(refusal(await(f.fetch(images(path), SafeFetcher.Accept.ANY))))
                    .isEqualTo("images.test redirected to a URL that cannot be fetched");
        }
    }

    @Test
    void nonImagesAreRefusedWhenImagesAreRequired() {
        routes.put("/page", r -> r.response().putHeader("content-type", "text/html").end("<html>"));
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/page"), SafeFetcher.Accept.IMAGES)))).isEqualTo("images.test did not answer with an image");
        assertThat(await(f.fetch(images("/page"), SafeFetcher.Accept.ANY))).isInstanceOf(FetchResult.Fetched.class);
    }

    @Test
    void errorStatusesAreRefused() {
        SafeFetcher f = fetcher(FetchPolicy.allowing("127.0.0.0/8"), names(Map.of("images.test", "127.0.0.1")));

        assertThat(refusal(await(f.fetch(images("/missing"), SafeFetcher.Accept.ANY)))).isEqualTo("images.test answered HTTP 404");
    }

    @Test
    void tlsUsesTheNameForSniAndVerificationWhileConnectingToThePinnedAddress() throws Exception {
        ImageStoreTls tls = ImageStoreTls.forName("images.test");
        int tlsPort = listen("127.0.0.1", new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(tls.serverKeyCert()));
        SafeFetcher f = fetcher(TLS_POLICY, names(Map.of("images.test", "127.0.0.1")), tls.trust());

        FetchResult r = await(f.fetch(new FetchTarget("https", "images.test", tlsPort, "/img"), SafeFetcher.Accept.IMAGES));

        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        Seen s = seen.get(0);
        assertThat(s.sni()).isEqualTo("images.test");
        assertThat(s.host()).isEqualTo("images.test:" + tlsPort);
        assertThat(s.localAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        ImageStoreTls tls = ImageStoreTls.forName("other.test");
        int tlsPort = listen("127.0.0.1", new HttpServerOptions().setSsl(true).setKeyCertOptions(tls.serverKeyCert()));
        SafeFetcher f = fetcher(TLS_POLICY, names(Map.of("images.test", "127.0.0.1")), tls.trust());

        assertThat(refusal(await(f.fetch(new FetchTarget("https", "images.test", tlsPort, "/img"), SafeFetcher.Accept.ANY))))
                .isEqualTo("could not fetch from images.test");
        assertThat(seen).isEmpty();
    }

    @Test
    void httpsToHttpDowngradeIsRefused() throws Exception {
        ImageStoreTls tls = ImageStoreTls.forName("images.test");
        int tlsPort = listen("127.0.0.1", new HttpServerOptions().setSsl(true).setKeyCertOptions(tls.serverKeyCert()));
        redirect("/down", "http://images.test:" + port + "/img");
        SafeFetcher f = fetcher(TLS_POLICY, names(Map.of("images.test", "127.0.0.1")), tls.trust());

        assertThat(refusal(await(f.fetch(new FetchTarget("https", "images.test", tlsPort, "/down"), SafeFetcher.Accept.ANY))))
                .isEqualTo("images.test redirected from https to http");
        assertThat(seen).extracting(Seen::path).containsExactly("/down");
    }
}
