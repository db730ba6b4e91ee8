package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Calls the management API over HTTPS with the admin token; turns ARM errors into one-line failures. */
final class ManagementClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String endpoint;
    private final String token;
    private final HttpClient http;

    ManagementClient(ClientOptions options) {
        this.endpoint = options.endpoint();
        this.token = options.adminToken();
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        Path ca = options.caCertificate();
        if (ca != null) {
            b.sslContext(trusting(ca));
        }
        this.http = b.build();
    }

    JsonNode call(String method, String path, Map<String, String> query, JsonNode body) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        new LinkedHashMap<>(query).forEach((k, v) -> {
            if (v != null) {
                q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path + q))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CliException("cannot reach " + endpoint + " (is `bulwark serve` running?)", 3);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new CliException("TLS handshake with " + endpoint + " failed (" + e.getMessage()
                    + "); pass the server's certificate with --ca-cert or BULWARK_CA_CERT", 3);
        } catch (java.io.IOException e) {
            throw new CliException("request to " + endpoint + " failed: " + e.getMessage(), 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 130);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 400) {
            String code = json == null ? "" : json.path("error").path("code").asText("");
            String message = json == null ? response.body() : json.path("error").path("message").asText(response.body());
            throw new CliException("HTTP " + response.statusCode() + (code.isEmpty() ? "" : " " + code) + ": " + message, 1);
        }
        return json;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A TLS context trusting exactly the PEM certificate(s) in {@code pem}; failures are CLI errors. */
    static SSLContext trusting(Path pem) {
        try {
            return dev.bulwark.crypto.PemTrust.forCertificates(Files.readString(pem, StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new CliException("cannot read the certificate " + pem + ": " + e.getClass().getSimpleName(), 2);
        } catch (IllegalArgumentException e) {
            throw new CliException("cannot use the certificate " + pem + ": " + e.getMessage(), 2);
        }
    }
}
