package dev.bulwark.server;

import dev.bulwark.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenBootstrapTest {

    private static Map<String, String> env(Path home) {
        return Map.of("BULWARK_HOME", home.toString(), "BULWARK_DATA_LISTEN", "127.0.0.1:0", "BULWARK_MANAGEMENT_LISTEN", "127.0.0.1:0");
    }

    @Test
    void aGeneratedTokenIsShownOnceKeptAs0600FileAndDigestAndSurvivesRestart(@TempDir Path home) throws Exception {
        Map<String, String> env = env(home);
        String token;
        try (Bulwark first = Bulwark.start(Settings.load(null, env))) {
            token = first.generatedAdminToken().orElseThrow();
            assertThat(status(first, token)).isEqualTo(200);
            assertThat(status(first, token + "x")).isEqualTo(401);
        }
        Path file = home.resolve("admin-token");
        assertThat(Files.readString(file).strip()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> !p.equals(file)).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(token);
            }
        }
        try (Bulwark second = Bulwark.start(Settings.load(null, env))) {
            assertThat(second.generatedAdminToken()).isEmpty();
            assertThat(status(second, token)).isEqualTo(200);
        }
    }

    @Test
    void aConfiguredTokenReplacesTheGeneratedOne(@TempDir Path home) throws Exception {
        Map<String, String> env = env(home);
        String generated;
        try (Bulwark first = Bulwark.start(Settings.load(null, env))) {
            generated = first.generatedAdminToken().orElseThrow();
        }
        Map<String, String> configured = new java.util.HashMap<>(env);
        configured.put("BULWARK_ADMIN_TOKEN", "operator-chosen-token-0123456789");
        try (Bulwark b = Bulwark.start(Settings.load(null, configured))) {
            assertThat(b.generatedAdminToken()).isEmpty();
            assertThat(status(b, "operator-chosen-token-0123456789")).isEqualTo(200);
            assertThat(status(b, generated)).isEqualTo(401);
        }
    }

    private static int status(Bulwark b, String token) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(dev.bulwark.crypto.PemTrust.forCertificates(b.tls().certificatePem())).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + b.managementPort() + "/accounts"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
