package dev.bulwark.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a CLI command reaches the management API. Flags override the environment
 * ({@code BULWARK_ENDPOINT}, {@code BULWARK_ACCESS_TOKEN} — an OIDC or workload token —,
 * {@code BULWARK_ADMIN_TOKEN}, {@code BULWARK_CA_CERT}); without them the
 * local defaults apply: {@code https://127.0.0.1:8444}, the token and certificate under {@code BULWARK_HOME}.
 */
public final class ClientOptions {
    /** The environment; tests replace it. */
    static Map<String, String> environment = System.getenv();

    @Option(names = "--endpoint", description = "Management endpoint. Default: $BULWARK_ENDPOINT or https://127.0.0.1:8444")
    String endpoint;

    @Option(names = "--admin-token-file", description = "File holding the admin token. Default: $BULWARK_ADMIN_TOKEN, then $BULWARK_HOME/admin-token")
    Path adminTokenFile;

    @Option(names = "--ca-cert", description = "PEM certificate to trust. Default: $BULWARK_CA_CERT, then $BULWARK_HOME/tls/selfsigned-cert.pem if present, then the system trust store")
    Path caCert;

    @Option(names = {"-o", "--output"}, description = "table (default) or json", defaultValue = "table")
    Output output;

    enum Output { table, json }

    String endpoint() {
        String e = endpoint != null ? endpoint : environment.getOrDefault("BULWARK_ENDPOINT", "https://127.0.0.1:8444");
        if (!e.startsWith("https://")) {
            throw new CliException("the endpoint must be https:// (Bulwark serves nothing over plain HTTP): " + e, 2);
        }
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    String adminToken() {
        if (adminTokenFile != null) {
            return read(adminTokenFile, "--admin-token-file");
        }
        // An identity's own token (from a trusted OIDC issuer, or a workload token) wins over the
        // bootstrap admin token: least privilege when both are present.
        String access = environment.get("BULWARK_ACCESS_TOKEN");
        if (access != null && !access.isBlank()) {
            return access.strip();
        }
        String fromEnv = environment.get("BULWARK_ADMIN_TOKEN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        Path local = home().resolve("admin-token");
        if (Files.isReadable(local)) {
            return read(local, "the admin token file");
        }
        throw new CliException("no credential: set BULWARK_ACCESS_TOKEN (an OIDC or workload token) or BULWARK_ADMIN_TOKEN, or use --admin-token-file", 2);
    }

    Path caCertificate() {
        if (caCert != null) {
            return caCert;
        }
        String fromEnv = environment.get("BULWARK_CA_CERT");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        Path local = home().resolve("tls").resolve("selfsigned-cert.pem");
        return Files.isReadable(local) ? local : null;
    }

    private static Path home() {
        return Path.of(environment.getOrDefault("BULWARK_HOME", ".bulwark"));
    }

    private static String read(Path file, String what) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new CliException(what + " " + file + " is empty", 2);
            }
            return s;
        } catch (IOException e) {
            throw new CliException("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName(), 2);
        }
    }
}
