package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.network.Cidr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code bulwark account network-rule add|remove|list}: an account's ip rules, as in the Azure CLI.
 * Each change reads the account's networkAcls and PATCHes them back whole (ARM's PATCH replaces
 * networkAcls as a unit); the server validates the entries.
 */
@Command(name = "network-rule", mixinStandardHelpOptions = true, description = "List, add or remove an account's ip rules.",
        subcommands = {NetworkRuleCommand.ListRules.class, NetworkRuleCommand.Add.class, NetworkRuleCommand.Remove.class})
final class NetworkRuleCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetworkRuleCommand() {
    }

    /** The account's networkAcls as the server renders them (a copy that may be changed). */
    static ObjectNode currentAcls(ManagementClient client, String account) {
        JsonNode a = client.call("GET", "/accounts/" + account, Map.of(), null);
        JsonNode acls = a.at("/properties/networkAcls");
        ObjectNode copy = acls.isObject() ? ((ObjectNode) acls).deepCopy() : JSON.createObjectNode().put("defaultAction", "Allow");
        if (!copy.has("ipRules")) {
            copy.putArray("ipRules");
        }
        return copy;
    }

    static JsonNode patchAcls(ManagementClient client, String account, ObjectNode acls) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("properties").set("networkAcls", acls);
        return client.call("PATCH", "/accounts/" + account, Map.of(), body).at("/properties/networkAcls");
    }

    static void print(PrintWriter out, JsonNode acls) {
        out.println("Default action: " + acls.path("defaultAction").asText("Allow"));
        Table t = new Table("IP ADDRESS OR RANGE");
        for (JsonNode r : acls.path("ipRules")) {
            t.row(r.path("value").asText());
        }
        t.print(out);
        if (!"Deny".equals(acls.path("defaultAction").asText()) && !acls.path("ipRules").isEmpty()) {
            out.println("Note: the rules take effect only with defaultAction Deny"
                    + " (bulwark account update <name> --default-action Deny).");
        }
    }

    /** The canonical text of an address or CIDR, so "10.0.0.1/32" finds the stored "10.0.0.1"; the text itself if it does not parse. */
    private static String canonical(String value) {
        try {
            return Cidr.parse(value).toString();
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static int indexOf(ArrayNode rules, String value) {
        String wanted = canonical(value);
        for (int i = 0; i < rules.size(); i++) {
            if (canonical(rules.get(i).path("value").asText()).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show the default action and the ip rules.")
    static final class ListRules extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode acls = currentAcls(client, name);
            if (json()) {
                printJson(out, acls);
            } else {
                print(out, acls);
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Allow an IPv4/IPv6 address or CIDR range.")
    static final class Add extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;
        @Option(names = "--ip-address", required = true, description = "An address (203.0.113.7) or range (203.0.113.0/24)")
        String ipAddress;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode acls = currentAcls(client, name);
            ArrayNode rules = (ArrayNode) acls.get("ipRules");
            JsonNode result = acls;
            if (indexOf(rules, ipAddress) < 0) {
                rules.addObject().put("value", ipAddress);
                result = patchAcls(client, name, acls);
            }
            if (json()) {
                printJson(out, result);
            } else {
                print(out, result);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an ip rule.")
    static final class Remove extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;
        @Option(names = "--ip-address", required = true, description = "The address or range to remove, as listed")
        String ipAddress;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            ObjectNode acls = currentAcls(client, name);
            ArrayNode rules = (ArrayNode) acls.get("ipRules");
            int i = indexOf(rules, ipAddress);
            if (i < 0) {
                throw new CliException("account " + name + " has no ip rule '" + ipAddress + "'", 1);
            }
            rules.remove(i);
            JsonNode result = patchAcls(client, name, acls);
            if (json()) {
                printJson(out, result);
            } else {
                print(out, result);
            }
        }
    }
}
