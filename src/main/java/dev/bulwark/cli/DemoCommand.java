package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.config.Settings;
import dev.bulwark.identity.AdminToken;
import dev.bulwark.server.Bulwark;
import dev.bulwark.crypto.PemTrust;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * {@code bulwark demo}: starts Bulwark on its embedded defaults, creates the account {@code demo}
 * through the management API, detects languages through the data plane with one of its keys, over
 * TLS, and prints what happened. Exits afterwards unless {@code --keep-running}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start Bulwark on embedded defaults and serve one real Language request end to end.")
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--keep-running", description = "Keep serving after the demo request (Ctrl-C to stop).")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        Startup.Started started = Startup.start(null);
        if (started == null) {
            return 2;
        }
        Settings settings = started.settings();
        Bulwark bulwark = started.bulwark();
        try {
            bulwark.printBanner(settings, System.out);
            String token = settings.adminToken().map(v -> v.reveal())
                    .or(bulwark::generatedAdminToken)
                    .orElseGet(() -> read(settings.home().resolve(AdminToken.FILE_NAME)));
            HttpClient http = HttpClient.newBuilder().sslContext(PemTrust.forCertificates(bulwark.tls().certificatePem())).build();
            String management = "https://localhost:" + bulwark.managementPort();

            System.out.println();
            System.out.println("1. Create (or update) the account 'demo' through the management API:");
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(management + "/accounts/demo"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"location\":\"local\",\"kind\":\"TextAnalytics\",\"sku\":{\"name\":\"S0\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            check(created, "create account");
            String endpoint = JSON.readTree(created.body()).at("/properties/endpoint").asText();
            System.out.println("   PUT /accounts/demo -> " + created.statusCode() + ", endpoint " + endpoint);

            HttpResponse<String> keys = http.send(HttpRequest.newBuilder(URI.create(management + "/accounts/demo/listKeys"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            check(keys, "list keys");
            String key1 = JSON.readTree(keys.body()).get("key1").asText();
            System.out.println("   POST /accounts/demo/listKeys -> " + keys.statusCode() + " (key1 " + key1.substring(0, 8) + "...)");

            System.out.println();
            System.out.println("2. Detect languages through the data plane with key1:");
            String body = "{\"kind\":\"LanguageDetection\",\"parameters\":{\"modelVersion\":\"latest\"},\"analysisInput\":{\"documents\":["
                    + "{\"id\":\"1\",\"text\":\"Hello world, this is Bulwark guarding a language service.\"},"
                    + "{\"id\":\"2\",\"text\":\"Bonjour tout le monde, ceci est un service protégé.\"},"
                    + "{\"id\":\"3\",\"text\":\"Hola a todos, este servicio está protegido.\"}]}}";
            HttpResponse<String> detected = http.send(HttpRequest.newBuilder(URI.create(endpoint + "language/:analyze-text?api-version=2023-04-01"))
                    .header("Ocp-Apim-Subscription-Key", key1).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            check(detected, "detect language");
            System.out.println("   POST " + endpoint + "language/:analyze-text -> " + detected.statusCode()
                    + " (apim-request-id " + detected.headers().firstValue("apim-request-id").orElse("?") + ")");
            for (JsonNode d : JSON.readTree(detected.body()).at("/results/documents")) {
                System.out.println("   document " + d.get("id").asText() + ": " + d.at("/detectedLanguage/name").asText()
                        + " (" + d.at("/detectedLanguage/iso6391Name").asText() + ", confidence "
                        + d.at("/detectedLanguage/confidenceScore").asText() + ")");
            }

            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create(endpoint + "language/:analyze-text?api-version=2023-04-01"))
                    .header("Ocp-Apim-Subscription-Key", "not-a-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println();
            System.out.println("3. The same call with a wrong key -> " + denied.statusCode() + " " + denied.body());
            System.out.println();
            if (keepRunning) {
                System.out.println("Bulwark keeps serving; press Ctrl-C to stop.");
                Runtime.getRuntime().addShutdownHook(new Thread(bulwark::close, "bulwark-shutdown"));
                bulwark.awaitStop();
            } else {
                System.out.println("Demo done. Run `./bulwark serve` to keep Bulwark running (see README).");
                bulwark.close();
            }
            return 0;
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("bulwark: demo failed: " + e.getMessage());
            bulwark.close();
            return 1;
        }
    }

    private static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the admin token file " + file + "; set BULWARK_ADMIN_TOKEN", e);
        }
    }
}
