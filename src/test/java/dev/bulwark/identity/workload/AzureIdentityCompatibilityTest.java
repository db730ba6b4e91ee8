package dev.bulwark.identity.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.identity.workload.WorkloadFixtures.FakeMinter;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unchanged Azure client libraries against {@link ManagedIdentityEndpoint}, each in a child JVM whose
 * environment has {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}: msal4j 1.26.0's
 * {@code ManagedIdentityApplication} (the code azure-identity 1.19.0 delegates the protocol to), and
 * azure-identity's {@code DefaultAzureCredential} / {@code ManagedIdentityCredential} (skipped while
 * the classpath's azure-core is older than azure-identity needs). The endpoint sits behind
 * the JDK's HTTP server on loopback here (the protocol is the subject, not TLS, which the real data
 * plane adds); the server records what the client sent.
 */
class AzureIdentityCompatibilityTest {
    @TempDir
    static Path dir;
    static Database db;
    static HttpServer server;
    static FakeMinter minter = new FakeMinter();
    static WorkloadIdentity app;
    static String secret;
    static final List<Map<String, List<String>>> requestHeaders = Collections.synchronizedList(new ArrayList<>());
    static final List<String> requestQueries = Collections.synchronizedList(new ArrayList<>());
    static final List<String> requestMethods = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws IOException {
        db = WorkloadFixtures.database(dir);
        WorkloadIdentityService identities = WorkloadFixtures.service(db, Clock.systemUTC());
        var created = identities.create("sdk-app", Optional.empty(), true);
        app = created.identity();
        secret = created.secret().orElseThrow().reveal();
        ManagedIdentityEndpoint endpoint = new ManagedIdentityEndpoint(identities, minter, WorkloadFixtures.policy(), Clock.systemUTC());

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(ManagedIdentityEndpoint.SUGGESTED_PATH, exchange -> serve(exchange, endpoint));
        server.start();
    }

    private static void serve(HttpExchange exchange, ManagedIdentityEndpoint endpoint) throws IOException {
        requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
        requestQueries.add(exchange.getRequestURI().getRawQuery());
        requestMethods.add(exchange.getRequestMethod());
        List<String> header = exchange.getRequestHeaders().get(ManagedIdentityEndpoint.IDENTITY_HEADER);
        EndpointResponse r = endpoint.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
                header == null ? List.of() : header);
        r.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = r.bodyBytes();
        exchange.sendResponseHeaders(r.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        db.close();
    }

    private static String probe(String identityHeader, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), AzureIdentityProbe.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("MSI_") || k.startsWith("IDENTITY_") || k.startsWith("IMDS_")
                || k.equals("IDENTITY_SERVER_THUMBPRINT"));
        env.put("IDENTITY_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort() + ManagedIdentityEndpoint.SUGGESTED_PATH);
        env.put("IDENTITY_HEADER", identityHeader);
        Path log = Files.createTempFile(dir, "probe", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Azure Identity probe did not finish in 90 s: " + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        return out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR ")).findFirst().orElse("NO OUTPUT: " + out);
    }

    /** azure-identity 1.19.0 needs azure-core 1.61.0; an older azure-core on the classpath breaks it (NoSuchMethodError, NoClassDefFoundError). */
    private static void assumeAzureCoreMatchesAzureIdentity() {
        boolean ok;
        try {
            Class.forName("com.azure.core.util.SharedExecutorService");
            ok = true;
        } catch (ClassNotFoundException e) {
            ok = false;
        }
        Assumptions.assumeTrue(ok, "the test classpath resolves an azure-core older than azure-identity 1.19.0 needs (1.61.0): "
                + "declare azure-identity before azure-ai-textanalytics in the pom, or pin azure-core 1.61.0 and azure-core-http-netty 1.17.0");
    }

    private void assertWhatTheClientSent(int request, boolean userAssigned) {
        // GET ?api-version=2019-08-01&resource=<the scope without /.default>, X-IDENTITY-HEADER, no Metadata header, no scope.
        String query = requestQueries.get(request);
        assertThat(query).contains("api-version=2019-08-01").contains("resource=https").doesNotContain("scope=").doesNotContain(".default");
        assertThat(query.contains("client_id=" + app.clientId())).isEqualTo(userAssigned);
        assertThat(requestMethods.get(request)).isEqualTo("GET");
        assertThat(requestHeaders.get(request).keySet().stream().map(String::toLowerCase)).contains("x-identity-header").doesNotContain("metadata");
    }

    private static void assertToken(String line) {
        assertThat(line).startsWith("OK fake-token." + app.clientId());
        long expiresAt = Long.parseLong(line.split(" ")[2]);
        assertThat(expiresAt).isBetween(Instant.now().getEpochSecond() + 3500, Instant.now().getEpochSecond() + 3700);
    }

    @Test
    void msalsManagedIdentityClientGetsTheWorkloadsToken() throws Exception {
        int before = requestQueries.size();
        assertToken(probe(secret, "msal"));
        assertWhatTheClientSent(before, false);
    }

    @Test
    void msalSendsAUserAssignedClientIdAsClientIdAndItIsAccepted() throws Exception {
        int before = requestQueries.size();
        assertToken(probe(secret, "msal", app.clientId()));
        assertWhatTheClientSent(before, true);
    }

    @Test
    void aWrongIdentityHeaderReachesTheApplicationWithOurErrorDescription() throws Exception {
        String line = probe(ClientSecretFormat.generate().reveal(), "msal");
        assertThat(line).startsWith("ERR ").contains("invalid_client").contains("X-IDENTITY-HEADER value is not valid");
    }

    @Test
    void defaultAzureCredentialGetsTheWorkloadsTokenFromTheManagedIdentityEndpoint() throws Exception {
        assumeAzureCoreMatchesAzureIdentity();
        int before = requestQueries.size();
        assertToken(probe(secret, "default"));
        assertWhatTheClientSent(before, false);
    }

    @Test
    void managedIdentityCredentialWithAClientIdGetsTheWorkloadsToken() throws Exception {
        assumeAzureCoreMatchesAzureIdentity();
        int before = requestQueries.size();
        assertToken(probe(secret, "managed", app.clientId()));
        assertWhatTheClientSent(before, true);
    }
}
