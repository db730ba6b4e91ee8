package dev.bulwark.identity.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in OIDC issuer on 127.0.0.1 over HTTPS (JDK {@code HttpsServer}): serves discovery and a
 * JWKS with one RSA and one EC signing key, counts requests, and lets a test replace any answer.
 * It also mints tokens signed with its keys.
 */
final class TestIssuer implements AutoCloseable {
    static final String AUDIENCE = "https://cognitiveservices.azure.com";
    static final String DISCOVERY_PATH = "/realms/test/.well-known/openid-configuration";
    static final String JWKS_PATH = "/realms/test/protocol/openid-connect/certs";

    /** One answer: status, extra headers, body; {@code delayMillis} before the head is sent. */
    record Response(int status, Map<String, String> headers, byte[] body, long delayMillis) {
        static Response json(String body) {
            return new Response(200, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8), 0);
        }
    }

    private static final RSAKey SHARED_RSA = rsa("rsa-1");
    private static final ECKey SHARED_EC = ec("ec-1");

    final TestTls tls = TestTls.localhost();
    final RSAKey rsaKey = SHARED_RSA;
    final ECKey ecKey = SHARED_EC;
    final AtomicInteger discoveryHits = new AtomicInteger();
    final AtomicInteger jwksHits = new AtomicInteger();
    private final Map<String, Response> overrides = new ConcurrentHashMap<>();
    private volatile List<JWK> published = List.of(SHARED_RSA.toPublicJWK(), SHARED_EC.toPublicJWK());
    private final HttpsServer server;
    private final Clock clock;

    TestIssuer(Clock clock) {
        this.clock = clock;
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-issuer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    String issuer() {
        return base() + "/realms/test";
    }

    /** A trust entry for this issuer: its CA, the default audience, the default algorithms. */
    TrustedIssuer.Builder trusted() {
        return TrustedIssuer.builder("test", issuer()).audiences(AUDIENCE).caCertificatePem(tls.certificatePem());
    }

    String discoveryJson() {
        return "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + base() + JWKS_PATH + "\"}";
    }

    /** Replaces the answer for a path until {@link #clearOverrides}. */
    void override(String path, Response response) {
        overrides.put(path, response);
    }

    void clearOverrides() {
        overrides.clear();
    }

    /** Which keys the JWKS publishes (public parts of what is given, unless a test publishes raw JSON by override). */
    void publish(JWK... keys) {
        List<JWK> list = new ArrayList<>();
        for (JWK k : keys) {
            list.add(k.toPublicJWK());
        }
        published = List.copyOf(list);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals(DISCOVERY_PATH)) {
                discoveryHits.incrementAndGet();
            } else if (path.equals(JWKS_PATH)) {
                jwksHits.incrementAndGet();
            }
            Response r = overrides.get(path);
            if (r == null) {
                if (path.equals(DISCOVERY_PATH)) {
                    r = Response.json(discoveryJson());
                } else if (path.equals(JWKS_PATH)) {
                    r = Response.json(new JWKSet(published).toString(true));
                } else {
                    r = new Response(404, Map.of(), new byte[0], 0);
                }
            }
            if (r.delayMillis() > 0) {
                try {
                    Thread.sleep(r.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        }
    }

    // ---- tokens ----

    /** Claims of a good token: this issuer, the audience, a subject, 5 minutes of life. */
    JWTClaimsSet.Builder claims() {
        Date now = Date.from(clock.instant());
        return new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(AUDIENCE)
                .subject("user-sub-1")
                .issueTime(now)
                .notBeforeTime(now)
                .expirationTime(Date.from(clock.instant().plus(Duration.ofMinutes(5))));
    }

    String rs256(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsaKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims, rsaKey);
    }

    String es256(JWTClaimsSet claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ecKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims, ecKey);
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A compact token from raw header and payload JSON and signature bytes, no checks at all. */
    static String raw(String headerJson, String payloadJson, byte[] signature) {
        return b64(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64(payloadJson.getBytes(StandardCharsets.UTF_8))
                + "." + (signature == null ? "" : Base64URL.encode(signature).toString());
    }

    static String b64(byte[] bytes) {
        return Base64URL.encode(bytes).toString();
    }

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
