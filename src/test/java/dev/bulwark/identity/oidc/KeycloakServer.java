package dev.bulwark.identity.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak for tests: the distribution from Maven Central (unpacked by the build into
 * {@code target/keycloak}, see the pom), started with {@code kc.sh start-dev} on loopback, HTTPS only
 * to the outside (a self-signed certificate for {@code localhost} generated per run), an in-memory
 * database, and the realm in {@code src/test/resources/keycloak/bulwark-realm.json} imported at boot:
 * realm {@code bulwark}; confidential client {@code bulwark-tests} (password grant and service account,
 * audience {@code https://cognitiveservices.azure.com}, a {@code groups} claim with full group paths);
 * client {@code bulwark-tests-es256} (same, access tokens signed ES256); client {@code other-app} (no
 * such audience); users alice, bob, carol (in group {@code /language-users}) and dave, each with
 * password {@code <name>-password}.
 *
 * <p>{@link #shared()} starts one instance per test JVM and reuses it across test classes; a shutdown
 * hook stops it. Stopping sends SIGTERM to Keycloak's whole process tree and kills what is left after
 * 20 s. Should the test JVM die without running its hooks, a watchdog shell around {@code kc.sh} sees its
 * stdin (a pipe from this JVM) close and stops Keycloak, so no orphan outlives the build.
 *
 * <p>Java: Keycloak runs on the JDK running the tests ({@code java.home}), 21 or newer. Memory:
 * {@code -Xms64m -Xmx512m}. Startup: C1 only ({@code -XX:TieredStopAtLevel=1}), which on a 2-core
 * machine roughly halves the time to ready compared with the default tiered compilation; the first
 * start after unpacking also runs Keycloak's one-time build ("augmentation").
 */
public final class KeycloakServer implements AutoCloseable {
    public static final String REALM = "bulwark";
    public static final String CLIENT_ID = "bulwark-tests";
    public static final String CLIENT_SECRET = "bulwark-tests-secret";
    public static final String ES256_CLIENT_ID = "bulwark-tests-es256";
    public static final String ES256_CLIENT_SECRET = "bulwark-tests-es256-secret";
    public static final String OTHER_CLIENT_ID = "other-app";
    public static final String OTHER_CLIENT_SECRET = "other-app-secret";
    public static final String AUDIENCE = "https://cognitiveservices.azure.com";
    public static final String LANGUAGE_USERS_GROUP = "/language-users";

    static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final String REALM_RESOURCE = "/keycloak/bulwark-realm.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer shared;

    private final Path home;
    private final Path runDir;
    private final int httpsPort;
    private final String adminPassword;
    private final TestTls tls;
    private final HttpClient http;
    private final Process process;
    private final Duration startupTime;
    private volatile boolean closed;

    /** The instance shared by every test class of this JVM, started on first use. */
    public static synchronized KeycloakServer shared() {
        if (shared == null) {
            KeycloakServer started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "keycloak-stop"));
            shared = started;
        }
        return shared;
    }

    /** Starts a new instance (prefer {@link #shared()}: each start costs tens of seconds). */
    public static KeycloakServer start() {
        try {
            return new KeycloakServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private KeycloakServer() throws IOException {
        this.home = distribution();
        this.runDir = Files.createTempDirectory("bulwark-keycloak-");
        this.tls = TestTls.localhost();
        try {
            tls.writeTo(runDir);
        } catch (Exception e) {
            throw new IOException("cannot write the Keycloak TLS files", e);
        }
        importRealm();
        this.httpsPort = freePort();
        int httpPort = freePort();
        int managementPort = freePort();
        byte[] pw = new byte[18];
        new SecureRandom().nextBytes(pw);
        this.adminPassword = HexFormat.of().formatHex(pw);
        this.http = HttpClient.newBuilder().sslContext(trusting(tls.certificatePem()))
                .connectTimeout(Duration.ofSeconds(5)).build();

        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "kc-watchdog",
                "/bin/bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--db=dev-mem",
                "--import-realm",
                "--http-host=127.0.0.1",
                "--https-port=" + httpsPort,
                "--https-certificate-file=" + runDir.resolve("cert.pem"),
                "--https-certificate-key-file=" + runDir.resolve("key.pem"),
                "--hostname=https://localhost:" + httpsPort,
                // Dev mode keeps its HTTP listener whatever --http-enabled says: pin it and the
                // management interface to free loopback ports so parallel builds do not collide on 8080/9000.
                "--http-enabled=false",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runDir.resolve("keycloak.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("JAVA_OPTS") || k.equals("JAVA_ADD_OPENS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);

        long start = System.nanoTime();
        this.process = pb.start();
        try {
            awaitReady();
        } catch (RuntimeException | Error e) {
            String log = logTail(60);
            close();
            throw new IllegalStateException("Keycloak did not become ready: " + e.getMessage() + "\n--- keycloak.log (tail) ---\n" + log, e);
        }
        this.startupTime = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("Keycloak %s ready at %s in %.1f s (log: %s)%n", home.getFileName(), issuer(),
                startupTime.toMillis() / 1000.0, runDir.resolve("keycloak.log"));
    }

    /**
     * Runs kc.sh in the background and stops it (SIGTERM, which kc.sh forwards to Keycloak's JVM) as
     * soon as this shell's stdin reaches end of file, i.e. when the test JVM holding the pipe exits.
     * Keycloak defers SIGTERM until its boot completes, so if it is still there 60 s later, it and its
     * children are killed. A background job's stdin is /dev/null unless redirected explicitly, hence fd 3.
     */
    private static final String WATCHDOG = """
            exec 3<&0
            "$@" </dev/null 3<&- &
            kc=$!
            ( while read -r line; do :; done
              kill -TERM "$kc" 2>/dev/null || exit 0
              i=0; while [ $i -lt 60 ] && kill -0 "$kc" 2>/dev/null; do sleep 1; i=$((i+1)); done
              if kill -0 "$kc" 2>/dev/null; then pkill -KILL -P "$kc"; kill -KILL "$kc"; fi ) <&3 &
            exec 3<&-
            wait "$kc"
            """;

    public String baseUrl() {
        return "https://localhost:" + httpsPort;
    }

    /** The {@code iss} of the realm's tokens. */
    public String issuer() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** The PEM of the self-signed certificate Keycloak serves; the CA to configure for the issuer. */
    public String caCertificatePem() {
        return tls.certificatePem();
    }

    /** Time from process start to the realm's discovery document answering. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A trust entry for this realm: its URL, CA certificate and the Azure AI audience. */
    public TrustedIssuer.Builder trustedIssuer() {
        return TrustedIssuer.builder("keycloak", issuer()).audiences(AUDIENCE).caCertificatePem(caCertificatePem());
    }

    /** An access token for a user via the password grant of {@code bulwark-tests}. */
    public String token(String username, String password) {
        return token(CLIENT_ID, CLIENT_SECRET, username, password);
    }

    /** An access token for a user via the password grant of the given client. */
    public String token(String clientId, String clientSecret, String username, String password) {
        return tokenResponse(clientId, clientSecret, username, password, null).get("access_token").asText();
    }

    /**
     * The whole token endpoint answer of a password grant ({@code access_token}, {@code refresh_token},
     * and {@code id_token} when {@code scope} includes {@code openid}).
     */
    public JsonNode tokenResponse(String clientId, String clientSecret, String username, String password, String scope) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of(
                "grant_type", "password", "client_id", clientId, "client_secret", clientSecret,
                "username", username, "password", password));
        if (scope != null) {
            form.put("scope", scope);
        }
        return tokenRequest(issuer() + "/protocol/openid-connect/token", form);
    }

    /** An access token for {@code bulwark-tests}'s own service account (client credentials grant). */
    public String serviceAccountToken() {
        return tokenRequest(issuer() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET))
                .get("access_token").asText();
    }

    /** An access token of the {@code master} realm's admin (another issuer on the same server). */
    public String masterAdminToken() {
        return tokenRequest(baseUrl() + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword))
                .get("access_token").asText();
    }

    /** Calls the admin REST API ({@code /admin/realms/...}) as the bootstrap admin; returns the JSON answer, or null when empty. */
    public JsonNode admin(String method, String path, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + REALM + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + masterAdminToken())
                .header("Accept", "application/json");
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = send(b.build());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("Keycloak admin " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keycloak's id of a realm user: the {@code sub} of that user's tokens. */
    public String userId(String username) {
        JsonNode users = admin("GET", "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), null);
        if (users == null || users.size() != 1) {
            throw new IllegalStateException("no single Keycloak user " + username + ": " + users);
        }
        return users.get(0).get("id").asText();
    }

    /**
     * Rotates the realm's RS256 signing key the way an operator would: adds a generated RSA key
     * provider with a higher priority, so new tokens are signed with a new {@code kid} while the old
     * key still verifies. Returns the new kid.
     */
    public String rotateRsaSigningKey() {
        int priority = 1000 + (int) (System.nanoTime() % 1000);
        admin("POST", "/components", """
                {"name":"rsa-rotated-%d","providerId":"rsa-generated","providerType":"org.keycloak.keys.KeyProvider",
                 "parentId":"%s","config":{"priority":["%d"],"keySize":["2048"],"algorithm":["RS256"],
                 "active":["true"],"enabled":["true"]}}""".formatted(priority, REALM, priority));
        return activeKid("RS256");
    }

    /** The kid the realm currently signs {@code alg} tokens with. */
    public String activeKid(String alg) {
        JsonNode active = admin("GET", "/keys", null).get("active");
        if (active == null || !active.has(alg)) {
            throw new IllegalStateException("Keycloak has no active " + alg + " key");
        }
        return active.get(alg).asText();
    }

    private JsonNode tokenRequest(String url, Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak token request to " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady() {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kc.sh exited with status " + process.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
        }
        throw new IllegalStateException("no answer from " + discovery + " within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    /** Stops Keycloak and every process it started; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
            tree.add(process.toHandle());
            // Keycloak's JVM first (graceful shutdown), then kc.sh and the watchdog shell.
            tree.sort(Comparator.comparingLong(h -> -depth(h)));
            tree.forEach(ProcessHandle::destroy);
            long deadline = System.nanoTime() + STOP_GRACE.toNanos();
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        deleteRecursively(runDir);
    }

    private long depth(ProcessHandle h) {
        long d = 0;
        for (var p = h.parent(); p.isPresent() && p.get().pid() != ProcessHandle.current().pid(); p = p.get().parent()) {
            d++;
        }
        return d;
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(runDir.resolve("keycloak.log"), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Whether this build provides Keycloak at all: the pom sets {@code bulwark.keycloak.home}, or a
     * distribution was unpacked under {@code target/keycloak}. When the property is set and the
     * distribution is missing, starting fails loudly instead.
     */
    public static boolean isConfigured() {
        String configured = System.getProperty("bulwark.keycloak.home");
        return (configured != null && !configured.isBlank()) || Files.isDirectory(Path.of("target", "keycloak"));
    }

    /** {@code bulwark.keycloak.home} (set by the pom), else the one {@code target/keycloak/keycloak-*}. */
    private static Path distribution() throws IOException {
        String configured = System.getProperty("bulwark.keycloak.home");
        Path home;
        if (configured != null && !configured.isBlank()) {
            home = Path.of(configured);
        } else {
            Path parent = Path.of("target", "keycloak");
            List<Path> found = new ArrayList<>();
            if (Files.isDirectory(parent)) {
                try (Stream<Path> s = Files.list(parent)) {
                    s.filter(p -> p.getFileName().toString().startsWith("keycloak-")).forEach(found::add);
                }
            }
            if (found.size() != 1) {
                throw new IllegalStateException("expected one Keycloak distribution under " + parent.toAbsolutePath() + ", found "
                        + found + "; run ./mvnw process-test-resources (it unpacks org.keycloak:keycloak-quarkus-dist)");
            }
            home = found.get(0);
        }
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home.toAbsolutePath()
                    + "; run ./mvnw process-test-resources (it unpacks org.keycloak:keycloak-quarkus-dist)");
        }
        return home.toAbsolutePath();
    }

    private void importRealm() throws IOException {
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        try (InputStream in = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + REALM_RESOURCE + " is missing");
            }
            Files.copy(in, importDir.resolve("bulwark-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static SSLContext trusting(String pem) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("keycloak", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
