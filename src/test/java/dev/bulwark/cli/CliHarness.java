package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.server.TestBulwark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Bulwark plus the CLI pointed at it: starts a {@link TestBulwark} in {@code home}, writes its CA
 * certificate to {@code home/ca.pem}, and runs {@link Main#run} with BULWARK_ENDPOINT, BULWARK_ADMIN_TOKEN and
 * BULWARK_CA_CERT set for the call only (the previous {@link ClientOptions#environment} comes back afterwards).
 */
final class CliHarness implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private final TestBulwark bulwark;
    private final Path caCert;

    CliHarness(Path home) {
        this(home, Map.of());
    }

    CliHarness(Path home, Map<String, String> serverEnv) {
        bulwark = new TestBulwark(home, serverEnv);
        caCert = home.resolve("ca.pem");
        try {
            Files.writeString(caCert, bulwark.bulwark().tls().certificatePem());
        } catch (IOException e) {
            bulwark.close();
            throw new UncheckedIOException(e);
        }
    }

    TestBulwark bulwark() {
        return bulwark;
    }

    Path caCert() {
        return caCert;
    }

    /** The CLI environment for this Bulwark: endpoint, admin token and CA certificate. */
    Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("BULWARK_ENDPOINT", bulwark.managementUrl());
        e.put("BULWARK_ADMIN_TOKEN", TestBulwark.ADMIN_TOKEN);
        e.put("BULWARK_CA_CERT", caCert.toString());
        return e;
    }

    Result run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs the CLI with {@link #env()} plus {@code extraEnv}, which may override it (e.g. another BULWARK_ENDPOINT). */
    Result run(Map<String, String> extraEnv, String... args) {
        Map<String, String> e = env();
        e.putAll(extraEnv);
        Map<String, String> previous = ClientOptions.environment;
        ClientOptions.environment = e;
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
            return new Result(exit, out.toString(), err.toString());
        } finally {
            ClientOptions.environment = previous;
        }
    }

    @Override
    public void close() {
        bulwark.close();
    }
}
