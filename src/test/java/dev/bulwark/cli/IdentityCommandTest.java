package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.bulwark.identity.Principal;
import dev.bulwark.identity.workload.ClientCredentialsEndpoint;
import dev.bulwark.identity.workload.WorkloadFixtures;
import dev.bulwark.identity.workload.WorkloadIdentityService;
import dev.bulwark.identity.workload.WorkloadTokenPolicy;
import dev.bulwark.server.management.ApiRequest;
import dev.bulwark.server.management.ApiResponse;
import dev.bulwark.server.management.IdentitiesApi;
import dev.bulwark.server.tls.TlsMaterial;
import dev.bulwark.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bulwark identity ...} against the real IdentitiesApi and ClientCredentialsEndpoint, served over
 * HTTPS by a small Vert.x server wired the way the management and data planes wire them (body read,
 * then the blocking call on a worker thread).
 */
class IdentityCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "test-admin-token";

    @TempDir
    static Path dir;
    static Database db;
    static Vertx vertx;
    static HttpServer server;
    static Path caCert;
    static String base;
    static final AtomicInteger managementCalls = new AtomicInteger();
    static volatile ClientCredentialsEndpoint tokenEndpoint;

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        db = Database.openSqlite(dir.resolve("bulwark.db"));
        WorkloadIdentityService identities = WorkloadIdentityService.create(db, WorkloadFixtures.masterKey(), Clock.systemUTC(), () -> { });
        IdentitiesApi api = new IdentitiesApi(identities);
        TlsMaterial tls = TlsMaterial.loadOrGenerate(dir.resolve("home"), null, null, List.of());
        caCert = dir.resolve("ca.pem");
        Files.writeString(caCert, tls.certificatePem());

        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(tls.certificatePem()))
                                .setKeyValue(Buffer.buffer(tls.privateKeyPem()))))
                .requestHandler(request -> route(request, api, tokenEndpoint))
                .listen().await();
        base = "https://127.0.0.1:" + server.actualPort();
        // The accepted assertion audience is this server's own token URL, known only once it listens.
        tokenEndpoint = new ClientCredentialsEndpoint(identities, new WorkloadFixtures.FakeMinter(),
                WorkloadTokenPolicy.defaults(List.of(base + ClientCredentialsEndpoint.PATH)), Clock.systemUTC());
    }

    private static void route(HttpServerRequest request, IdentitiesApi api, ClientCredentialsEndpoint endpoint) {
        String path = request.path();
        if (path.equals(ClientCredentialsEndpoint.PATH) && request.method().name().equals("POST") && endpoint != null) {
            String authorization = request.headers().getAll("Authorization").size() > 1 ? "repeated" : request.getHeader("Authorization");
            request.body().compose(body -> vertx.executeBlocking(() -> endpoint.handle(authorization, request.getHeader("Content-Type"), body.getBytes()), false))
                    .onSuccess(r -> send(request, r.status(), r.headers(), r.body()))
                    .onFailure(e -> send(request, 500, Map.of(), "{}"));
            return;
        }
        if (path.startsWith("/identities")) {
            managementCalls.incrementAndGet();
            if (!("Bearer " + ADMIN).equals(request.getHeader("Authorization"))) {
                send(request, 401, Map.of("Content-Type", "application/json"), "{\"error\":{\"code\":\"AuthenticationFailed\",\"message\":\"no\"}}");
                return;
            }
            String[] segments = path.substring(1).split("/", -1);
            request.body().compose(body -> vertx.executeBlocking(() -> api.handle(new ApiRequest(request.method().name(), segments, Map.of(),
                            body.getBytes(), new Principal.BootstrapAdmin(), "req", "127.0.0.1")), false))
                    .onSuccess((ApiResponse r) -> send(request, r.status(), Map.of("Content-Type", r.contentType()), r.body()))
                    .onFailure(e -> send(request, 500, Map.of(), "{}"));
            return;
        }
        send(request, 404, Map.of(), "");
    }

    private static void send(HttpServerRequest request, int status, Map<String, String> headers, String body) {
        headers.forEach((k, v) -> request.response().putHeader(k, v));
        request.response().setStatusCode(status).end(body);
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
        db.close();
    }

    @AfterEach
    void resetEnvironment() {
        ClientOptions.environment = System.getenv();
    }

    private static Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("BULWARK_ENDPOINT", base);
        e.put("BULWARK_DATA_ENDPOINT", base);
        e.put("BULWARK_ADMIN_TOKEN", ADMIN);
        e.put("BULWARK_CA_CERT", caCert.toString());
        return e;
    }

    private static Result cli(Map<String, String> env, String... args) {
        ClientOptions.environment = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new IdentityCommand()).setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static String secretFrom(String out) {
        return out.lines().map(String::strip).filter(l -> l.startsWith("bwcs_")).findFirst().orElseThrow();
    }

    @Test
    void createShowsTheSecretOnceThenListShowRegenerateAndDelete() throws Exception {
        Result created = cli(env(), "create", "cli-app");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("NAME").contains("cli-app").contains("shown once");
        String secret = secretFrom(created.out());

        Result list = cli(env(), "list");
        assertThat(list.out()).contains("cli-app").contains("secret").doesNotContain(secret);
        Result show = cli(env(), "show", "cli-app", "-o", "json");
        assertThat(show.json().at("/properties/clientSecret").isMissingNode()).isTrue();
        String clientId = show.json().at("/properties/clientId").asText();
        assertThat(cli(env(), "show", clientId).out()).contains("cli-app");

        Result rotated = cli(env(), "regenerate-secret", "cli-app");
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        assertThat(secretFrom(rotated.out())).isNotEqualTo(secret);
        assertThat(rotated.out()).contains("previous secret works until");
        Result revoked = cli(env(), "regenerate-secret", "cli-app", "--revoke-previous");
        assertThat(revoked.out()).contains("no longer works");

        Result deleted = cli(env(), "delete", "cli-app");
        assertThat(deleted.exit()).isZero();
        assertThat(deleted.out()).contains("Deleted identity cli-app.");
        Result missing = cli(env(), "show", "cli-app");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("HTTP 404 ResourceNotFound");
        assertThat(cli(env(), "delete", "cli-app").exit()).isEqualTo(1);
    }

    @Test
    void jsonOutputOfCreateCarriesTheSecret() throws Exception {
        Result created = cli(env(), "create", "json-app", "-o", "json");
        assertThat(created.exit()).isZero();
        assertThat(created.json().at("/properties/clientSecret").asText()).startsWith("bwcs_");
    }

    @Test
    void aPublicKeyFileIsRegisteredAndAPrivateOneNeverLeavesTheMachine() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Path pub = dir.resolve("pub.jwk");
        Files.writeString(pub, key.toPublicJWK().toJSONString());
        Result created = cli(env(), "create", "key-app", "--public-key-file", pub.toString(), "--no-secret");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("key EC " + key.computeThumbprint()).doesNotContain("bwcs_");

        Path priv = dir.resolve("priv.jwk");
        Files.writeString(priv, key.toJSONString());
        int before = managementCalls.get();
        Result refused = cli(env(), "create", "priv-app", "--public-key-file", priv.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("private key");
        assertThat(cli(env(), "update", "key-app", "--public-key-file", priv.toString()).exit()).isEqualTo(2);
        assertThat(managementCalls.get()).isEqualTo(before);

        Result noCredential = cli(env(), "create", "nothing", "--no-secret");
        assertThat(noCredential.exit()).isEqualTo(2);
        Result notJson = cli(env(), "create", "bad", "--public-key-file", caCert.toString());
        assertThat(notJson.exit()).isEqualTo(2);
    }

    @Test
    void updateReplacesOrRemovesTheKeyAndNeedsExactlyOneOfTheTwo() throws Exception {
        cli(env(), "create", "upd-app");
        Path pub = dir.resolve("upd.jwk");
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Files.writeString(pub, key.toPublicJWK().toJSONString());
        assertThat(cli(env(), "update", "upd-app", "--public-key-file", pub.toString()).out()).contains(key.computeThumbprint().toString());
        assertThat(cli(env(), "update", "upd-app", "--remove-public-key").out()).doesNotContain("key EC");
        assertThat(cli(env(), "update", "upd-app").exit()).isEqualTo(2);
        assertThat(cli(env(), "update", "upd-app", "--remove-public-key", "--public-key-file", pub.toString()).exit()).isEqualTo(2);
    }

    @Test
    void tokenExchangesTheSecretFromTheEnvironmentAtTheDataPlane() throws Exception {
        Result created = cli(env(), "create", "tok-app", "-o", "json");
        String secret = created.json().at("/properties/clientSecret").asText();
        String clientId = created.json().at("/properties/clientId").asText();
        Map<String, String> workload = new HashMap<>();
        workload.put("BULWARK_DATA_ENDPOINT", base);
        workload.put("BULWARK_CA_CERT", caCert.toString());
        workload.put("BULWARK_CLIENT_SECRET", secret); // no admin token: a workload has none

        Result byName = cli(workload, "token", "tok-app", "--resource", "https://cognitiveservices.azure.com");
        assertThat(byName.exit()).as(byName.err()).isZero();
        assertThat(byName.out().strip()).startsWith("fake-token." + clientId).doesNotContain("\n");
        Result byId = cli(workload, "token", clientId, "-o", "json");
        assertThat(byId.exit()).isZero();
        assertThat(byId.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(byId.json().get("expires_in").asLong()).isEqualTo(3600);
        Map<String, String> explicit = new HashMap<>(workload);
        explicit.remove("BULWARK_DATA_ENDPOINT");
        assertThat(cli(explicit, "token", "tok-app", "--token-endpoint", base + ClientCredentialsEndpoint.PATH).exit()).isZero();
        assertThat(cli(explicit, "token", "tok-app", "--token-endpoint", base + "/").exit()).isZero();
    }

    @Test
    void tokenFailuresAreOneLineWithTheOAuthError() throws Exception {
        cli(env(), "create", "fail-app");
        Map<String, String> workload = new HashMap<>();
        workload.put("BULWARK_DATA_ENDPOINT", base);
        workload.put("BULWARK_CA_CERT", caCert.toString());

        Result noSecret = cli(workload, "token", "fail-app");
        assertThat(noSecret.exit()).isEqualTo(2);
        assertThat(noSecret.err()).contains("BULWARK_CLIENT_SECRET");

        workload.put("BULWARK_CLIENT_SECRET", "bwcs_not-the-secret");
        Result wrong = cli(workload, "token", "fail-app");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err().strip()).isEqualTo("bulwark: HTTP 401 invalid_client: client authentication failed");

        String secret = secretFrom(cli(env(), "regenerate-secret", "fail-app").out());
        workload.put("BULWARK_CLIENT_SECRET", secret);
        Result scope = cli(workload, "token", "fail-app", "--resource", "https://vault.azure.net");
        assertThat(scope.exit()).isEqualTo(1);
        assertThat(scope.err()).contains("HTTP 400 invalid_scope");

        Result plain = cli(workload, "token", "fail-app", "--token-endpoint", "http://127.0.0.1:1/oauth2/v2.0/token");
        assertThat(plain.exit()).isEqualTo(2);
        assertThat(plain.err()).contains("https://");
        assertThat(cli(workload, "token", "fail-app", "--client-secret", secret).exit()).isEqualTo(2);
    }

    @Test
    void theTokenEndpointDefaultsToTheDataPlaneWithTheTokenPath() {
        IdentityCommand.Token t = new IdentityCommand.Token();
        ClientOptions.environment = Map.of();
        assertThat(t.endpoint().toString()).isEqualTo("https://127.0.0.1:8443/oauth2/v2.0/token");
        ClientOptions.environment = Map.of("BULWARK_DATA_ENDPOINT", "https://bulwark.example:9443");
        assertThat(t.endpoint().toString()).isEqualTo("https://bulwark.example:9443/oauth2/v2.0/token");
        t.tokenEndpoint = "https://idp.example/custom/token";
        assertThat(t.endpoint().toString()).isEqualTo("https://idp.example/custom/token");
    }

    @Test
    void managementVerbsNeedTheAdminTokenButTokenDoesNot() {
        Map<String, String> e = env();
        e.remove("BULWARK_ADMIN_TOKEN");
        e.put("BULWARK_HOME", dir.resolve("nowhere").toString());
        Result r = cli(e, "list");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("ADMIN_TOKEN");
    }
}
