package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code bulwark deployment ...}: an account's model deployments over the management API. The
 * credential is only ever a reference ({@code env:NAME}, {@code file:/path}) that Bulwark resolves
 * itself; the CLI never reads, sends or prints a credential's value.
 */
@Command(name = "deployment", mixinStandardHelpOptions = true, description = "Manage an account's model deployments (OpenAI-compatible upstreams).",
        subcommands = {DeploymentCommand.Create.class, DeploymentCommand.ListDeployments.class, DeploymentCommand.Show.class,
                DeploymentCommand.Delete.class})
final class DeploymentCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    static String path(String account, String name) {
        // Names are validated by the server; encoding keeps a mistyped one from changing the path.
        String base = "/accounts/" + encode(account) + "/deployments";
        return name == null ? base : base + "/" + encode(name);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void printDeployments(PrintWriter out, Iterable<JsonNode> deployments) {
        Table t = new Table("NAME", "MODEL", "UPSTREAM", "CREDENTIAL", "RPM", "TPM", "TIMEOUT", "INLINE IMAGES", "CREDENTIAL STATUS");
        for (JsonNode d : deployments) {
            JsonNode p = d.path("properties");
            JsonNode up = p.path("upstream");
            t.row(d.path("name").asText(), p.at("/model/name").asText(), up.path("baseUrl").asText(),
                    up.path("credential").asText("none"), limit(p, "request"), limit(p, "token"),
                    up.path("timeoutSeconds").asText() + "s", p.path("inlineRemoteImages").asBoolean(false) ? "yes" : "no",
                    p.path("credentialStatus").asText());
        }
        t.print(out);
    }

    private static String limit(JsonNode properties, String key) {
        for (JsonNode l : properties.path("rateLimits")) {
            if (key.equals(l.path("key").asText())) {
                return l.path("count").asText();
            }
        }
        return "unlimited";
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a deployment, or replace it whole if it exists.",
                    "The credential is a reference Bulwark resolves itself (env:NAME or file:/path), never the secret."})
    static final class Create extends ClientCommand {
        @Option(names = "--account", required = true, description = "Account name.")
        String account;
        @Option(names = "--name", required = true, description = "Deployment name (what clients use as the model or in the path).")
        String name;
        @Option(names = "--upstream-url", required = true, description = "Upstream's OpenAI-compatible base URL, e.g. http://10.0.0.5:8000/v1")
        String upstreamUrl;
        @Option(names = "--model", required = true, description = "Model name the upstream knows.")
        String model;
        @Option(names = "--credential", description = "Upstream credential reference: env:NAME or file:/path (sent as Authorization: Bearer).")
        String credential;
        @Option(names = "--rpm", description = "Requests per minute (0 or absent: no limit).")
        Integer rpm;
        @Option(names = "--tpm", description = "Tokens per minute (0 or absent: no limit).")
        Integer tpm;
        @Option(names = "--timeout-seconds", description = "Wait for the upstream's answer, and longest silence in a stream (1-600, default 60).")
        Integer timeoutSeconds;
        @Option(names = "--connect-timeout-seconds", description = "Connect to the upstream (1-600, default 10).")
        Integer connectTimeoutSeconds;
        @Option(names = "--inline-remote-images", description = {"Fetch chat image URLs in Bulwark (SSRF-safe, see docs/fetcher.md) "
                + "and send the model server data: URLs, so it needs no outbound network access."})
        boolean inlineRemoteImages;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("sku").put("name", "Standard");
            ObjectNode p = body.putObject("properties");
            p.putObject("model").put("format", "OpenAI").put("name", model);
            ObjectNode upstream = p.putObject("upstream");
            upstream.put("baseUrl", upstreamUrl);
            if (credential != null) {
                upstream.put("credential", credential);
            }
            if (connectTimeoutSeconds != null) {
                upstream.put("connectTimeoutSeconds", connectTimeoutSeconds);
            }
            if (timeoutSeconds != null) {
                upstream.put("timeoutSeconds", timeoutSeconds);
            }
            ArrayNode limits = p.putArray("rateLimits");
            if (rpm != null) {
                limits.addObject().put("key", "request").put("renewalPeriod", 60).put("count", rpm);
            }
            if (tpm != null) {
                limits.addObject().put("key", "token").put("renewalPeriod", 60).put("count", tpm);
            }
            p.put("inlineRemoteImages", inlineRemoteImages);
            JsonNode d = client.call("PUT", path(account, name), Map.of(), body);
            if (json()) {
                printJson(out, d);
            } else {
                printDeployments(out, List.of(d));
                String status = d.path("properties").path("credentialStatus").asText();
                if (!status.isEmpty() && !status.equals("ok")) {
                    out.println();
                    out.println("Warning: the credential cannot be used yet: " + status);
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List an account's deployments.")
    static final class ListDeployments extends ClientCommand {
        @Option(names = "--account", required = true, description = "Account name.")
        String account;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", path(account, null), Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else {
                printDeployments(out, r.path("value"));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one deployment.")
    static final class Show extends ClientCommand {
        @Option(names = "--account", required = true, description = "Account name.")
        String account;
        @Option(names = "--name", required = true, description = "Deployment name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode d = client.call("GET", path(account, name), Map.of(), null);
            if (json()) {
                printJson(out, d);
            } else {
                printDeployments(out, List.of(d));
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a deployment; requests to it stop at once.")
    static final class Delete extends ClientCommand {
        @Option(names = "--account", required = true, description = "Account name.")
        String account;
        @Option(names = "--name", required = true, description = "Deployment name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            // DELETE answers 204 for a deployment that was not there; the GET makes that a clear 404 instead.
            client.call("GET", path(account, name), Map.of(), null);
            client.call("DELETE", path(account, name), Map.of(), null);
            if (json()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("deleted", name);
                o.put("account", account);
                printJson(out, o);
            } else {
                out.println("Deleted deployment " + name + " of account " + account + ".");
            }
        }
    }
}
