package dev.bulwark.identity.oidc;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The signing keys of every trusted issuer: discovery and JWKS fetched over HTTPS, cached as an
 * immutable {@link JwksSnapshot} per issuer and swapped whole on refresh.
 *
 * <p>Reading is non-blocking: {@link #currentKeys} is a volatile read, safe on a Vert.x event loop.
 * Fetching never runs on the caller's thread: {@link #refresh}, {@link #refreshIfAllowed} and
 * {@link #prefetch} only schedule work on this class's own virtual threads and return a
 * {@link CompletableFuture}.
 *
 * <p>Fetch rules, each a refusal with a message naming the issuer:
 * <ul>
 *   <li>discovery is {@code <issuer>/.well-known/openid-configuration}; its {@code issuer} must equal the
 *       configured one exactly (OpenID Connect Discovery 1.0, section 4.3), so a document for another
 *       issuer cannot supply keys;</li>
 *   <li>its {@code jwks_uri} must be https (or http on loopback, only with {@code allow-insecure-loopback});
 *       it may be on another host (Google's is), the TLS trust being the same as for the issuer;</li>
 *   <li>both requests: connect timeout 5 s, whole response within 10 s, at most 256 KiB, status 200 only,
 *       redirects never followed, TLS through the issuer's configured CA when it has one;</li>
 *   <li>the JWKS must yield at least one usable signing key (see {@link JwksSnapshot}); otherwise the
 *       previous snapshot stays in use.</li>
 * </ul>
 *
 * <p>Refresh policy: {@link #refreshIfAllowed} starts a fetch only when none is running and the last
 * attempt for that issuer (successful or not, the startup prefetch included) is at least
 * {@link #MIN_REFRESH_INTERVAL} old. The token verifier calls it on an unknown {@code kid} and when
 * the keys are older than {@link #MAX_KEY_AGE}, so a flood of forged kids costs the issuer at most
 * one fetch per 30 s, and a new signing key is picked up within 30 s of its first token.
 */
public final class OidcKeys implements AutoCloseable {
    public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** Keys older than this are refreshed in the background (rate-limited like the rest) while still used. */
    public static final Duration MAX_KEY_AGE = Duration.ofHours(1);

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_RESPONSE_BYTES = 256 * 1024;
    static final int MAX_KEYS = 100;

    private static final System.Logger LOG = System.getLogger(OidcKeys.class.getName());

    private final Map<String, IssuerState> states;
    private final Clock clock;
    private final Duration minRefreshInterval;
    private final ExecutorService executor;

    /** Per issuer: its HTTP client, current snapshot and refresh bookkeeping. */
    private static final class IssuerState {
        final TrustedIssuer issuer;
        final HttpClient http;
        volatile JwksSnapshot current;
        // Guarded by this:
        Instant lastAttempt;
        CompletableFuture<JwksSnapshot> latest;

        IssuerState(TrustedIssuer issuer, HttpClient http) {
            this.issuer = issuer;
            this.http = http;
        }
    }

    public OidcKeys(TrustedIssuers issuers, Clock clock) {
        this(issuers, clock, MIN_REFRESH_INTERVAL);
    }

    /** {@code minRefreshInterval} is for tests; production uses {@link #MIN_REFRESH_INTERVAL}. */
    OidcKeys(TrustedIssuers issuers, Clock clock, Duration minRefreshInterval) {
        this.clock = clock;
        this.minRefreshInterval = minRefreshInterval;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bulwark-oidc-keys-", 0).factory());
        Map<String, IssuerState> map = new HashMap<>();
        for (TrustedIssuer i : issuers.all()) {
            map.put(i.issuer(), new IssuerState(i, httpClient(i, executor)));
        }
        this.states = Map.copyOf(map);
    }

    /** The issuer's keys as last fetched, or empty before the first successful fetch. Never blocks. */
    public Optional<JwksSnapshot> currentKeys(String issuer) {
        IssuerState s = states.get(issuer);
        return s == null ? Optional.empty() : Optional.ofNullable(s.current);
    }

    /** Whether this fetches keys for {@code issuer}. */
    public boolean knows(String issuer) {
        return states.containsKey(issuer);
    }

    /** {@link #currentKeys} without the Optional, for the verifier's hot path. */
    JwksSnapshot snapshotOrNull(String issuer) {
        IssuerState s = states.get(issuer);
        return s == null ? null : s.current;
    }

    /**
     * Fetches discovery and JWKS now, off the caller's thread, ignoring the rate limit (a fetch already
     * running is joined instead of doubled). Completes with the new snapshot, or exceptionally with an
     * {@link OidcFetchException}; on failure the previous snapshot stays.
     */
    public CompletableFuture<JwksSnapshot> refresh(String issuer) {
        IssuerState s = state(issuer);
        synchronized (s) {
            if (s.latest != null && !s.latest.isDone()) {
                return s.latest;
            }
            return start(s);
        }
    }

    /**
     * Starts a refresh unless one is running or the last attempt is younger than 30 s. Returns the
     * running or started fetch, or empty when the rate limit held it back. Never blocks.
     */
    public Optional<CompletableFuture<JwksSnapshot>> refreshIfAllowed(String issuer) {
        IssuerState s = state(issuer);
        synchronized (s) {
            if (s.latest != null && !s.latest.isDone()) {
                return Optional.of(s.latest);
            }
            if (s.lastAttempt != null && clock.instant().isBefore(s.lastAttempt.plus(minRefreshInterval))) {
                return Optional.empty();
            }
            return Optional.of(start(s));
        }
    }

    /** The most recent fetch for the issuer (running or done), if any; for tests and health reports. */
    public Optional<CompletableFuture<JwksSnapshot>> latestRefresh(String issuer) {
        IssuerState s = state(issuer);
        synchronized (s) {
            return Optional.ofNullable(s.latest);
        }
    }

    /**
     * Startup: fetches every issuer's keys in parallel. The future completes when all attempts are
     * done; failures are logged and leave that issuer without keys (its tokens are refused, and a
     * refresh is retried at most every 30 s) rather than stopping the boot, because an identity
     * provider being down must not take Bulwark's key-based access down with it.
     */
    public CompletableFuture<Void> prefetch() {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (IssuerState s : states.values()) {
            all.add(refresh(s.issuer.issuer()).handle((snapshot, failure) -> null));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        for (IssuerState s : states.values()) {
            s.http.shutdownNow();
        }
        executor.shutdownNow();
    }

    private IssuerState state(String issuer) {
        IssuerState s = states.get(issuer);
        if (s == null) {
            throw new IllegalArgumentException("not a trusted issuer: " + issuer);
        }
        return s;
    }

    /** Caller holds the lock on {@code s}. */
    private CompletableFuture<JwksSnapshot> start(IssuerState s) {
        s.lastAttempt = clock.instant();
        CompletableFuture<JwksSnapshot> f = CompletableFuture.supplyAsync(() -> fetch(s), executor);
        f.whenComplete((snapshot, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.log(System.Logger.Level.WARNING, "OIDC issuer ''{0}'': keys not refreshed: {1}",
                        s.issuer.name(), cause.getMessage());
            }
        });
        s.latest = f;
        return f;
    }

    private JwksSnapshot fetch(IssuerState s) {
        TrustedIssuer issuer = s.issuer;
        String who = "OIDC issuer '" + issuer.name() + "'";
        URI discoveryUrl = issuer.discoveryUrl();
        Map<String, Object> discovery = json(get(s, discoveryUrl, who + " discovery"), who + " discovery " + discoveryUrl);
        Object discoveredIssuer = discovery.get("issuer");
        if (!issuer.issuer().equals(discoveredIssuer)) {
            throw new OidcFetchException(who + ": discovery at " + discoveryUrl + " names issuer '" + discoveredIssuer
                    + "', not the configured '" + issuer.issuer() + "'; refusing its keys");
        }
        URI jwksUri;
        try {
            Object raw = discovery.get("jwks_uri");
            if (!(raw instanceof String text)) {
                throw new OidcFetchException(who + ": discovery at " + discoveryUrl + " has no jwks_uri string");
            }
            jwksUri = new URI(text);
        } catch (URISyntaxException e) {
            throw new OidcFetchException(who + ": discovery's jwks_uri is not a URL: " + e.getReason());
        }
        if (!issuer.isFetchable(jwksUri)) {
            throw new OidcFetchException(who + ": discovery's jwks_uri " + jwksUri + " is not https"
                    + (issuer.allowInsecureLoopback() ? " (nor http on loopback)" : ""));
        }
        Map<String, Object> jwks = json(get(s, jwksUri, who + " JWKS"), who + " JWKS " + jwksUri);
        List<JWK> parsed = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<Object> keys;
        try {
            keys = JSONObjectUtils.getJSONArray(jwks, "keys");
        } catch (ParseException e) {
            throw new OidcFetchException(who + ": JWKS at " + jwksUri + " has no \"keys\" array");
        }
        if (keys == null) {
            throw new OidcFetchException(who + ": JWKS at " + jwksUri + " has no \"keys\" array");
        }
        if (keys.size() > MAX_KEYS) {
            throw new OidcFetchException(who + ": JWKS at " + jwksUri + " has " + keys.size() + " keys (limit " + MAX_KEYS + ")");
        }
        for (Object k : keys) {
            try {
                if (!(k instanceof Map<?, ?>)) {
                    throw new ParseException("not a JSON object", 0);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) k;
                parsed.add(JWK.parse(object));
            } catch (ParseException | RuntimeException e) {
                dropped.add("unreadable key (" + e.getMessage() + ")");
            }
        }
        JwksSnapshot snapshot = JwksSnapshot.of(issuer.issuer(), parsed, clock.instant(), dropped);
        if (snapshot.size() == 0) {
            throw new OidcFetchException(who + ": JWKS at " + jwksUri + " has no usable signing key" + (dropped.isEmpty() ? "" : ": " + dropped));
        }
        JwksSnapshot previous = s.current;
        s.current = snapshot;
        boolean changed = previous == null || !previous.byKid().keySet().equals(snapshot.byKid().keySet());
        LOG.log(changed ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "OIDC issuer ''{0}'': {1} signing key(s) {2}{3}", issuer.name(), snapshot.size(),
                new java.util.TreeSet<>(snapshot.byKid().keySet()), dropped.isEmpty() ? "" : "; ignored " + dropped);
        return snapshot;
    }

    private byte[] get(IssuerState s, URI url, String what) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(RESPONSE_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = s.http.sendAsync(request, LimitedBody.handler(MAX_RESPONSE_BYTES));
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers the response head; this bounds the body as well.
            response = call.get(RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new OidcFetchException(what + " " + url + ": no complete response within " + RESPONSE_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new OidcFetchException(what + " " + url + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new OidcFetchException(what + " " + url + ": " + describe(cause), cause);
        }
        int status = response.statusCode();
        if (status != 200) {
            throw new OidcFetchException(what + " " + url + " answered HTTP " + status
                    + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        }
        return response.body();
    }

    private static Map<String, Object> json(byte[] body, String what) {
        try {
            return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8), MAX_RESPONSE_BYTES);
        } catch (ParseException e) {
            throw new OidcFetchException(what + " is not a JSON object");
        }
    }

    private static String describe(Throwable t) {
        String name = t.getClass().getSimpleName();
        // An SSLHandshakeException wraps the certificate problem one level down; name both.
        String message = t.getMessage() != null ? t.getMessage() : "";
        if (t.getCause() != null && t.getCause().getMessage() != null && !message.contains(t.getCause().getMessage())) {
            message = message + " (" + t.getCause().getMessage() + ")";
        }
        return message.isEmpty() ? name : name + ": " + message;
    }

    private static HttpClient httpClient(TrustedIssuer issuer, ExecutorService executor) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .executor(executor);
        List<X509Certificate> ca = issuer.caCertificates();
        if (!ca.isEmpty()) {
            b.sslContext(trusting(ca, issuer));
        }
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        b.sslParameters(params);
        return b.build();
    }

    /** A client TLS context that trusts exactly the issuer's configured CA certificates. */
    private static SSLContext trusting(List<X509Certificate> certificates, TrustedIssuer issuer) {
        try {
            return dev.bulwark.crypto.PemTrust.forCertificates(certificates);
        } catch (IllegalArgumentException e) {
            throw new dev.bulwark.config.ConfigException("OIDC issuer '" + issuer.name()
                    + "': cannot use the CA certificate as a trust anchor: " + e.getMessage(), e);
        }
    }
}
