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
                AccountCommand.Update.class, AccountCommand.Rewrap.class, AccountCommand.Delete.class, KeysCommand.class,
                NetworkRuleCommand.class})
final class AccountCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    // ARM's keySource values (account.AccountEncryption); spelled out so the CLI has no server dependency.
    static final String SERVICE_MANAGED = "Microsoft.CognitiveServices";
    static final String CUSTOMER_MANAGED = "Microsoft.KeyVault";

    static void printAccounts(PrintWriter out, Iterable<JsonNode> accounts) {
        Table t = new Table("NAME", "KIND", "LOCATION", "SKU", "LOCAL AUTH", "ENDPOINT");
        for (JsonNode a : accounts) {
            t.row(a.path("name").asText(), a.path("kind").asText(), a.path("location").asText(), a.at("/sku/name").asText(),
                    a.at("/properties/disableLocalAuth").asBoolean() ? "disabled" : "enabled", a.at("/properties/endpoint").asText());
        }
        t.print(out);
    }

    /** One line per account naming who holds its keys: the service alone, or also a customer key. */
    static void printEncryption(PrintWriter out, JsonNode account) {
        JsonNode e = account.at("/properties/encryption");
        if (!CUSTOMER_MANAGED.equals(e.path("keySource").asText())) {
            out.println("Encryption: " + SERVICE_MANAGED + " (service-managed keys)");
            return;
        }
        JsonNode kv = e.path("keyVaultProperties");
        String version = kv.path("keyVersion").asText("");
        out.println("Encryption: " + CUSTOMER_MANAGED + " key " + kv.path("keyName").asText()
                + " version " + (version.isEmpty() ? "(newest)" : version) + " at " + kv.path("keyVaultUri").asText()
                + (kv.hasNonNull("identityClientId") ? " as " + kv.get("identityClientId").asText() : ""));
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
                printEncryption(out, a);
            }
        }
    }

    enum DefaultAction { Allow, Deny }

    enum PublicNetworkAccess { Enabled, Disabled }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an account's SKU, tags, local authentication, network access, outbound URL checks or encryption.")
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
        @Option(names = "--key-source", description = SERVICE_MANAGED + " (service-managed keys only) or "
                + CUSTOMER_MANAGED + " (add a customer-managed key: needs --key-name and --key-vault-uri)")
        String keySource;
        @Option(names = "--key-name", description = "Customer-managed key's name")
        String keyName;
        @Option(names = "--key-version", description = "Pin this key version (default: follow the newest)")
        String keyVersion;
        @Option(names = "--key-vault-uri",
                description = "The built-in vault's https:// URL, or a pkcs11: URI naming the configured HSM token")
        String keyVaultUri;
        @Option(names = "--identity-client-id", description = "Client id of the identity that uses the key (optional)")
        String identityClientId;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            // Checked before any request (the --default-action GET included), so a bad combination changes nothing.
            ObjectNode encryption = encryption();
            ObjectNode body = JSON.createObjectNode();
            if (encryption != null) {
                properties(body).set("encryption", encryption);
            }
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
                        + " --public-network-access, --restrict-outbound-network-access, --allowed-fqdn-list or --key-source", 2);
            }
            JsonNode a = client.call("PATCH", "/accounts/" + name, Map.of(), body);
            if (json()) {
                printJson(out, a);
            } else {
                printAccounts(out, java.util.List.of(a));
                if (encryption != null) {
                    printEncryption(out, a);
                }
            }
        }

        /** properties.encryption from the --key-* flags, or null when none was given; incomplete sets are usage errors. */
        private ObjectNode encryption() {
            boolean keyFlags = keyName != null || keyVersion != null || keyVaultUri != null || identityClientId != null;
            if (keySource == null) {
                if (keyFlags) {
                    throw new CliException("--key-name, --key-version, --key-vault-uri and --identity-client-id need --key-source "
                            + CUSTOMER_MANAGED, 2);
                }
                return null;
            }
            ObjectNode e = JSON.createObjectNode();
            if (keySource.equals(SERVICE_MANAGED)) {
                if (keyFlags) {
                    throw new CliException("--key-source " + SERVICE_MANAGED + " takes no --key-name, --key-version,"
                            + " --key-vault-uri or --identity-client-id", 2);
                }
                e.put("keySource", SERVICE_MANAGED);
                return e;
            }
            if (!keySource.equals(CUSTOMER_MANAGED)) {
                throw new CliException("--key-source must be " + SERVICE_MANAGED + " or " + CUSTOMER_MANAGED, 2);
            }
            if (keyName == null || keyVaultUri == null) {
                throw new CliException("--key-source " + CUSTOMER_MANAGED + " needs --key-name and --key-vault-uri", 2);
            }
            e.put("keySource", CUSTOMER_MANAGED);
            ObjectNode kv = e.putObject("keyVaultProperties");
            kv.put("keyName", keyName);
            kv.put("keyVersion", keyVersion == null ? "" : keyVersion);
            kv.put("keyVaultUri", keyVaultUri);
            if (identityClientId != null) {
                kv.put("identityClientId", identityClientId);
            }
            return e;
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Re-wrap an account's data keys to the newest key versions (after rotating its keys).")
    static final class Rewrap extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("POST", "/accounts/" + name + "/rewrap", Map.of(), null);
            if (r == null || !r.path("rewrapped").isInt()) {
                throw new CliException("the server answered rewrap without a 'rewrapped' count", 1);
            }
            if (json()) {
                printJson(out, r);
            } else {
                int n = r.get("rewrapped").asInt();
                out.println("Re-wrapped " + n + " data key" + (n == 1 ? "" : "s") + " of account " + name + ".");
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
