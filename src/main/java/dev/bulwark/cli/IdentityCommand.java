package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code bulwark identity ...}: workload identities over the management API, and {@code token}, which
 * exchanges a workload's own client secret for an access token at the data plane's token endpoint.
 */
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Manage workload identities and get their tokens.",
        subcommands = {IdentityCommand.Create.class, IdentityCommand.ListIdentities.class, IdentityCommand.Show.class,
                IdentityCommand.Update.class, IdentityCommand.Delete.class, IdentityCommand.RegenerateSecret.class,
                IdentityCommand.Token.class})
final class IdentityCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN_PATH = "/oauth2/v2.0/token";
    static final String DEFAULT_DATA_ENDPOINT = "https://127.0.0.1:8443";
    static final String DEFAULT_RESOURCE = "https://cognitiveservices.azure.com";
    /** Members that only a private JWK has: such a file must never leave the machine. */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    static void printIdentities(PrintWriter out, Iterable<JsonNode> identities) {
        Table t = new Table("NAME", "CLIENT ID", "CREDENTIALS", "CREATED");
        for (JsonNode i : identities) {
            JsonNode p = i.path("properties");
            StringBuilder creds = new StringBuilder();
            if (p.has("clientSecretCreatedDateTime")) {
                creds.append("secret");
            }
            if (p.has("previousClientSecretExpiresDateTime")) {
                creds.append(creds.isEmpty() ? "" : ", ").append("previous secret until ").append(p.path("previousClientSecretExpiresDateTime").asText());
            }
            if (p.has("publicKeyThumbprint")) {
                creds.append(creds.isEmpty() ? "" : ", ").append("key ").append(p.path("publicKeyJwk").path("kty").asText())
                        .append(' ').append(p.path("publicKeyThumbprint").asText());
            }
            t.row(i.path("name").asText(), p.path("clientId").asText(), creds.isEmpty() ? "none" : creds, p.path("createdDateTime").asText());
        }
        t.print(out);
    }

    /** Prints an identity and, when the answer carries one, its new secret with the warning that it is shown once. */
    static void printWithSecret(PrintWriter out, JsonNode identity) {
        printIdentities(out, List.of(identity));
        JsonNode secret = identity.path("properties").path("clientSecret");
        if (secret.isTextual()) {
            out.println();
            out.println("Client secret (shown once; Bulwark keeps only a digest and cannot show it again):");
            out.println("  " + secret.asText());
            out.println("Give it to the workload as IDENTITY_HEADER (managed-identity protocol) or BULWARK_CLIENT_SECRET.");
        }
    }

    /** Reads a public JWK from a file; refuses a private one before anything is sent. */
    static JsonNode readPublicJwk(Path file) {
        JsonNode jwk;
        try {
            jwk = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException("cannot read the public key file " + file + ": " + e.getClass().getSimpleName(), 2);
        }
        if (jwk == null || !jwk.isObject() || !jwk.has("kty")) {
            throw new CliException(file + " is not a JWK (a JSON object with \"kty\")", 2);
        }
        for (String m : PRIVATE_MEMBERS) {
            if (jwk.has(m)) {
                throw new CliException(file + " holds a private key (member \"" + m + "\"); register the public JWK only "
                        + "and keep the private key with the workload", 2);
            }
        }
        return jwk;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a workload identity with a client secret (shown once) and/or a public key for private_key_jwt."})
    static final class Create extends ClientCommand {
        @Parameters(index = "0", description = "Identity name (DNS label).")
        String name;
        @Option(names = "--public-key-file", description = "Public JWK (EC P-256 or RSA >= 2048) for private_key_jwt client assertions.")
        Path publicKeyFile;
        @Option(names = "--no-secret", description = "Do not issue a client secret (requires --public-key-file).")
        boolean noSecret;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            if (noSecret && publicKeyFile == null) {
                throw new CliException("--no-secret needs --public-key-file: an identity needs a secret or a key", 2);
            }
            ObjectNode body = JSON.createObjectNode();
            ObjectNode props = body.putObject("properties");
            if (publicKeyFile != null) {
                props.set("publicKeyJwk", readPublicJwk(publicKeyFile));
            }
            props.put("generateClientSecret", !noSecret);
            JsonNode created = client.call("PUT", "/identities/" + name, Map.of(), body);
            if (json()) {
                printJson(out, created);
            } else {
                printWithSecret(out, created);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List workload identities.")
    static final class ListIdentities extends ClientCommand {
        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", "/identities", Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else {
                printIdentities(out, r.path("value"));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one workload identity.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", description = "Identity name or client id.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode i = client.call("GET", "/identities/" + name, Map.of(), null);
            if (json()) {
                printJson(out, i);
            } else {
                printIdentities(out, List.of(i));
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Register, replace or remove an identity's public key.")
    static final class Update extends ClientCommand {
        @Parameters(index = "0", description = "Identity name.")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        KeyChange change;

        static final class KeyChange {
            @Option(names = "--public-key-file", description = "New public JWK.")
            Path publicKeyFile;
            @Option(names = "--remove-public-key", description = "Remove the public key (the identity must have a secret).")
            boolean remove;
        }

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = JSON.createObjectNode();
            ObjectNode props = body.putObject("properties");
            if (change.publicKeyFile != null) {
                props.set("publicKeyJwk", readPublicJwk(change.publicKeyFile));
            } else {
                props.putNull("publicKeyJwk");
            }
            JsonNode i = client.call("PATCH", "/identities/" + name, Map.of(), body);
            if (json()) {
                printJson(out, i);
            } else {
                printIdentities(out, List.of(i));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a workload identity and its credentials.")
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", description = "Identity name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            // DELETE answers 204 for an identity that was not there; the GET makes that a clear 404 instead.
            client.call("GET", "/identities/" + name, Map.of(), null);
            client.call("DELETE", "/identities/" + name, Map.of(), null);
            if (json()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("deleted", name);
                printJson(out, o);
            } else {
                out.println("Deleted identity " + name + ".");
            }
        }
    }

    @Command(name = "regenerate-secret", mixinStandardHelpOptions = true,
            description = {"Issue a new client secret (shown once).",
                    "The replaced secret keeps working for the overlap (24 hours by default) so workloads can switch;",
                    "--revoke-previous stops it at once (for a leaked secret)."})
    static final class RegenerateSecret extends ClientCommand {
        @Parameters(index = "0", description = "Identity name.")
        String name;
        @Option(names = "--revoke-previous", description = "The replaced secret stops working immediately.")
        boolean revokePrevious;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = JSON.createObjectNode();
            body.put("revokePrevious", revokePrevious);
            JsonNode i = client.call("POST", "/identities/" + name + "/regenerateSecret", Map.of(), body);
            if (json()) {
                printJson(out, i);
            } else {
                printWithSecret(out, i);
                JsonNode until = i.path("properties").path("previousClientSecretExpiresDateTime");
                out.println(until.isTextual() ? "The previous secret works until " + until.asText() + "." : "The previous secret no longer works.");
            }
        }
    }

    /**
     * {@code bulwark identity token}: the client credentials grant against the data plane, as a workload
     * would do it. Needs no admin token: the credential is the workload's own secret, read from
     * {@code BULWARK_CLIENT_SECRET} only (a flag would leave it in shell history and process lists).
     */
    @Command(name = "token", mixinStandardHelpOptions = true,
            description = {"Get an access token for a workload identity from the data plane's token endpoint.",
                    "The client secret is read from $BULWARK_CLIENT_SECRET. Prints the token alone (or the JSON answer with -o json)."})
    static final class Token implements Callable<Integer> {
        @Parameters(index = "0", description = "Identity name or client id.")
        String client;
        @Option(names = "--resource", defaultValue = DEFAULT_RESOURCE, description = "Resource (audience) of the token. Default: ${DEFAULT-VALUE}")
        String resource;
        @Option(names = "--token-endpoint", description = "Token endpoint URL. Default: $BULWARK_DATA_ENDPOINT or " + DEFAULT_DATA_ENDPOINT
                + ", with " + TOKEN_PATH)
        String tokenEndpoint;
        @Option(names = "--ca-cert", description = "PEM certificate to trust. Default: $BULWARK_CA_CERT, then $BULWARK_HOME/tls/selfsigned-cert.pem if present, then the system trust store")
        Path caCert;
        @Option(names = {"-o", "--output"}, description = "token (default: the access token alone) or json", defaultValue = "token")
        Output output;

        enum Output { token, json }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                JsonNode answer = request();
                if (output == Output.json) {
                    ClientCommand.printJson(out, answer);
                } else {
                    out.println(answer.path("access_token").asText());
                }
                out.flush();
                return 0;
            } catch (CliException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("bulwark: " + e.getMessage());
                err.flush();
                return e.exitCode();
            }
        }

        private JsonNode request() {
            String secret = ClientOptions.environment.get("BULWARK_CLIENT_SECRET");
            if (secret == null || secret.isBlank()) {
                throw new CliException("set BULWARK_CLIENT_SECRET to the identity's client secret (it is never taken as a flag)", 2);
            }
            URI endpoint = endpoint();
            String basic = Base64.getEncoder().encodeToString((form(client) + ":" + form(secret.strip())).getBytes(StandardCharsets.UTF_8));
            String scope = resource.endsWith("/") ? resource + ".default" : resource + "/.default";
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + form(scope)))
                    .build();
            HttpResponse<String> response;
            try {
                response = httpClient().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new CliException("cannot reach " + endpoint + " (is `bulwark serve` running?)", 3);
            } catch (javax.net.ssl.SSLHandshakeException e) {
                throw new CliException("TLS handshake with " + endpoint + " failed (" + e.getMessage()
                        + "); pass the server's certificate with --ca-cert or BULWARK_CA_CERT", 3);
            } catch (IOException e) {
                throw new CliException("request to " + endpoint + " failed: " + e.getMessage(), 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted", 130);
            }
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException e) {
                json = null;
            }
            if (response.statusCode() != 200) {
                String error = json == null ? "" : json.path("error").asText("");
                String description = json == null ? response.body() : json.path("error_description").asText(response.body());
                throw new CliException("HTTP " + response.statusCode() + (error.isEmpty() ? "" : " " + error) + ": " + description, 1);
            }
            if (json == null || !json.path("access_token").isTextual()) {
                throw new CliException("the token endpoint answered 200 without an access_token", 1);
            }
            return json;
        }

        URI endpoint() {
            String e = tokenEndpoint != null ? tokenEndpoint
                    : ClientOptions.environment.getOrDefault("BULWARK_DATA_ENDPOINT", DEFAULT_DATA_ENDPOINT);
            URI u;
            try {
                u = new URI(e.strip());
            } catch (URISyntaxException x) {
                throw new CliException("the token endpoint is not a URL: " + e, 2);
            }
            if (!"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new CliException("the token endpoint must be https:// (Bulwark serves nothing over plain HTTP): " + e, 2);
            }
            String path = u.getRawPath();
            if (path == null || path.isEmpty() || path.equals("/")) {
                return u.resolve(TOKEN_PATH);
            }
            return u;
        }

        private HttpClient httpClient() {
            ClientOptions trust = new ClientOptions();
            trust.caCert = caCert;
            Path ca = trust.caCertificate();
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (ca != null) {
                b.sslContext(ManagementClient.trusting(ca));
            }
            return b.build();
        }

        private static String form(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
