package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bulwark account ...}: accounts over the management API. */
@Command(name = "account", mixinStandardHelpOptions = true, description = "Manage accounts.",
        subcommands = {AccountCommand.Create.class, AccountCommand.ListAccounts.class, AccountCommand.Show.class,
                AccountCommand.Update.class, AccountCommand.Delete.class, KeysCommand.class,
                NetworkRuleCommand.class})
final class AccountCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    static void printAccounts(PrintWriter out, Iterable<JsonNode> accounts) {
        Table t = new Table("NAME", "KIND", "LOCATION", "SKU", "LOCAL AUTH", "ENDPOINT");
        for (JsonNode a : accounts) {
            t.row(a.path("name").asText(), a.path("kind").asText(), a.path("location").asText(), a.at("/sku/name").asText(),
                    a.at("/properties/disableLocalAuth").asBoolean() ? "disabled" : "enabled", a.at("/properties/endpoint").asText());
        }
        t.print(out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an account (or update its SKU and tags).")
    static final class Create extends ClientCommand {
        @Parameters(index = "0", description = "Account name (DNS label).")
        String name;
        @Option(names = "--kind", required = true, description = "TextAnalytics, OpenAI or AIServices")
        String kind;
        @Option(names = {"--location", "-l"}, required = true, description = "Region name, e.g. westeurope")
        String location;
        @Option(names = "--sku", defaultValue = "S0", description = "SKU name (default S0)")
        String sku;
        @Option(names = "--tag", description = "key=value (repeatable)")
        Map<String, String> tags = new LinkedHashMap<>();
        @Option(names = "--disable-local-auth", description = "Refuse key authentication for this account")
        boolean disableLocalAuth;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = JSON.createObjectNode();
            body.put("location", location);
            body.put("kind", kind);
            body.putObject("sku").put("name", sku);
            ObjectNode t = body.putObject("tags");
            tags.forEach(t::put);
            body.putObject("properties").put("disableLocalAuth", disableLocalAuth);
            JsonNode a = client.call("PUT", "/accounts/" + name, Map.of(), body);
            if (json()) {
                printJson(out, a);
            } else {
                printAccounts(out, java.util.List.of(a));
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts.")
    static final class ListAccounts extends ClientCommand {
        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", "/accounts", Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else {
                printAccounts(out, r.path("value"));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one account.")
    static final class Show extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode a = client.call("GET", "/accounts/" + name, Map.of(), null);
            if (json()) {
                printJson(out, a);
            } else {
                printAccounts(out, java.util.List.of(a));
            }
        }
    }

    enum DefaultAction { Allow, Deny }

    enum PublicNetworkAccess { Enabled, Disabled }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an account's SKU, tags, local authentication, network access or outbound URL checks.")
    static final class Update extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;
        @Option(names = "--sku", description = "New SKU name")
        String sku;
        @Option(names = "--tag", description = "key=value (repeatable; replaces all tags)")
        Map<String, String> tags;
        @Option(names = "--disable-local-auth", arity = "1", description = "true or false")
        Boolean disableLocalAuth;
        @Option(names = "--default-action", description = "Allow or Deny: what traffic no ip rule matches gets")
        DefaultAction defaultAction;
        @Option(names = "--public-network-access", description = "Enabled or Disabled")
        PublicNetworkAccess publicNetworkAccess;
        @Option(names = "--restrict-outbound-network-access", arity = "1",
                description = "true or false: whether URLs in requests must name a host on the allowed FQDN list")
        Boolean restrictOutbound;
        @Option(names = "--allowed-fqdn-list", split = ",", arity = "0..*",
                description = "host names or IP addresses (comma-separated or repeated; replaces the list; give it empty to clear)")
        java.util.List<String> allowedFqdns;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode body = JSON.createObjectNode();
            if (defaultAction != null) {
                // PATCH replaces networkAcls whole: keep the rules, change the default.
                ObjectNode acls = NetworkRuleCommand.currentAcls(client, name);
                acls.put("defaultAction", defaultAction.name());
                properties(body).set("networkAcls", acls);
            }
            if (publicNetworkAccess != null) {
                properties(body).put("publicNetworkAccess", publicNetworkAccess.name());
            }
            if (restrictOutbound != null) {
                properties(body).put("restrictOutboundNetworkAccess", restrictOutbound);
            }
            if (allowedFqdns != null) {
                var list = properties(body).putArray("allowedFqdnList");
                allowedFqdns.stream().filter(f -> !f.isEmpty()).forEach(list::add);
            }
            if (sku != null) {
                body.putObject("sku").put("name", sku);
            }
            if (tags != null) {
                ObjectNode t = body.putObject("tags");
                tags.forEach(t::put);
            }
            if (disableLocalAuth != null) {
                properties(body).put("disableLocalAuth", disableLocalAuth);
            }
            if (body.isEmpty()) {
                throw new CliException("nothing to update: give --sku, --tag, --disable-local-auth, --default-action,"
                        + " --public-network-access, --restrict-outbound-network-access or --allowed-fqdn-list", 2);
            }
            JsonNode a = client.call("PATCH", "/accounts/" + name, Map.of(), body);
            if (json()) {
                printJson(out, a);
            } else {
                printAccounts(out, java.util.List.of(a));
            }
        }
    }

    private static ObjectNode properties(ObjectNode body) {
        return body.has("properties") ? (ObjectNode) body.get("properties") : body.putObject("properties");
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an account and its keys.")
    static final class Delete extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            // ARM answers 204 for an account that was not there; the GET makes that a clear 404 instead.
            JsonNode before = client.call("GET", "/accounts/" + name, Map.of(), null);
            client.call("DELETE", "/accounts/" + name, Map.of(), null);
            if (json()) {
                ObjectNode o = JSON.createObjectNode();
                o.put("deleted", before.path("name").asText(name));
                printJson(out, o);
            } else {
                out.println("Deleted account " + name + ".");
            }
        }
    }
}
