package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bulwark vault secret ...} and {@code bulwark vault key ...}: the built-in vault through its
 * Key Vault REST API on the management listener, with the admin token (the bootstrap admin is Key
 * Vault Administrator of the vault). A secret value is never a command-line argument, where it
 * would land in shell history and the process list: it comes from a file, stdin, or a named
 * environment variable.
 */
@Command(name = "vault", mixinStandardHelpOptions = true, description = "Manage the built-in vault's secrets and keys.",
        subcommands = {VaultCommand.Secret.class, VaultCommand.Key.class})
final class VaultCommand {
    static final String API_VERSION = "7.5";

    private VaultCommand() {
    }

    static Map<String, String> query() {
        return Map.of("api-version", API_VERSION);
    }

    /** Follows nextLink until the listing ends. */
    static List<JsonNode> all(ManagementClient client, String path) {
        List<JsonNode> out = new ArrayList<>();
        Map<String, String> q = new LinkedHashMap<>(query());
        while (true) {
            JsonNode page = client.call("GET", path, q, null);
            page.path("value").forEach(out::add);
            JsonNode next = page.path("nextLink");
            if (!next.isTextual()) {
                return out;
            }
            String token = next.asText().replaceFirst(".*[?&]\\$skiptoken=([0-9]+).*", "$1");
            if (token.equals(next.asText())) {
                throw new CliException("the vault answered a nextLink without a $skiptoken", 1);
            }
            q.put("$skiptoken", token);
        }
    }

    static String nameOf(String id) {
        String[] parts = id.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("secrets") || parts[i].equals("keys") || parts[i].equals("deletedsecrets") || parts[i].equals("deletedkeys")) {
                return parts[i + 1];
            }
        }
        return id;
    }

    static String versionOf(String id) {
        String[] parts = id.split("/");
        return parts.length >= 2 && parts[parts.length - 2].matches("[A-Za-z0-9-]+") && parts[parts.length - 1].matches("[0-9a-f]{32}")
                ? parts[parts.length - 1] : "";
    }

    static String time(JsonNode attributes, String field) {
        return attributes.has(field) ? Instant.ofEpochSecond(attributes.get(field).asLong()).toString() : "";
    }

    /** One vault item (secret or key bundle): JSON as is, or a one-row table plus the value when the item carries one. */
    static void printItem(PrintWriter out, JsonNode item, String idField, boolean json) {
        if (json) {
            ClientCommand.printJson(out, item);
            return;
        }
        printList(out, List.of(item), idField, false);
        if (item.path("value").isTextual()) {
            out.println();
            out.println("value: " + item.path("value").asText());
        }
    }

    /** A listing of vault items: a JSON array, or a table of name, version, enabled and times. */
    static void printList(PrintWriter out, List<JsonNode> items, String idField, boolean json) {
        if (json) {
            ClientCommand.printJson(out, JsonNodeFactory.instance.arrayNode().addAll(items));
            return;
        }
        Table t = new Table("NAME", "VERSION", "ENABLED", "NOT BEFORE", "EXPIRES", "UPDATED");
        for (JsonNode i : items) {
            JsonNode a = i.path("attributes");
            String id = i.path(idField).asText(i.path("key").path("kid").asText());
            t.row(nameOf(id), versionOf(id), a.path("enabled").asText(), time(a, "nbf"), time(a, "exp"), time(a, "updated"));
        }
        t.print(out);
    }

    @Command(name = "secret", mixinStandardHelpOptions = true, description = "Secrets: set, show, list, delete, recover, purge.",
            subcommands = {Secret.Set.class, Secret.Show.class, Secret.ListSecrets.class, Secret.Delete.class, Secret.Recover.class,
                    Secret.Purge.class})
    static final class Secret {
        static final class Source {
            @Option(names = "--value-file", description = "Read the value from this file ('-' for stdin); one trailing newline is dropped.")
            Path file;
            @Option(names = "--value-env", description = "Read the value from this environment variable.")
            String env;
        }

        @Command(name = "set", mixinStandardHelpOptions = true, description = "Store a new version of a secret.")
        static final class Set extends ClientCommand {
            @Parameters(index = "0", description = "Secret name (1-127 letters, digits, '-').")
            String name;
            @ArgGroup(exclusive = true, multiplicity = "1")
            Source source;
            @Option(names = "--content-type", description = "A hint for reading the value, e.g. text/plain.")
            String contentType;
            @Option(names = "--disabled", description = "Store it disabled.")
            boolean disabled;
            @Option(names = "--expires", description = "Expiry, ISO-8601 instant (2030-01-01T00:00:00Z).")
            Instant expires;
            @Option(names = "--not-before", description = "Not valid before, ISO-8601 instant.")
            Instant notBefore;
            @Option(names = "--tag", description = "A tag, name=value (repeatable).")
            Map<String, String> tags = new LinkedHashMap<>();

            @Override
            void run(ManagementClient client, PrintWriter out) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("value", readValue());
                if (contentType != null) {
                    body.put("contentType", contentType);
                }
                ObjectNode a = body.putObject("attributes");
                a.put("enabled", !disabled);
                if (expires != null) {
                    a.put("exp", expires.getEpochSecond());
                }
                if (notBefore != null) {
                    a.put("nbf", notBefore.getEpochSecond());
                }
                ObjectNode t = body.putObject("tags");
                tags.forEach(t::put);
                JsonNode saved = client.call("PUT", "/secrets/" + name, query(), body);
                ((ObjectNode) saved).remove("value");
                printItem(out, saved, "id", json());
            }

            private String readValue() {
                if (source.env != null) {
                    String v = ClientOptions.environment.get(source.env);
                    if (v == null) {
                        throw new CliException("environment variable " + source.env + " is not set", 2);
                    }
                    return v;
                }
                try {
                    byte[] bytes;
                    if (source.file.toString().equals("-")) {
                        InputStream in = System.in;
                        bytes = in.readAllBytes();
                    } else {
                        bytes = Files.readAllBytes(source.file);
                    }
                    String v = new String(bytes, StandardCharsets.UTF_8);
                    return v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v.endsWith("\n") ? v.substring(0, v.length() - 1) : v;
                } catch (IOException e) {
                    throw new CliException("cannot read the value from " + source.file + ": " + e.getClass().getSimpleName(), 2);
                }
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a secret with its value (current version unless --version).")
        static final class Show extends ClientCommand {
            @Parameters(index = "0")
            String name;
            @Option(names = "--version")
            String version;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                JsonNode s = client.call("GET", "/secrets/" + name + "/" + (version == null ? "" : version), query(), null);
                printItem(out, s, "id", json());
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets (no values), or one secret's versions.")
        static final class ListSecrets extends ClientCommand {
            @Option(names = "--versions-of", description = "List this secret's versions instead.")
            String versionsOf;
            @Option(names = "--deleted", description = "List soft-deleted secrets instead.")
            boolean deleted;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                String path = deleted ? "/deletedsecrets" : versionsOf != null ? "/secrets/" + versionsOf + "/versions" : "/secrets";
                printList(out, all(client, path), "id", json());
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Soft-delete a secret (recoverable for the retention period).")
        static final class Delete extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                JsonNode d = client.call("DELETE", "/secrets/" + name, query(), null);
                printDeleted(out, d, json());
            }
        }

        @Command(name = "recover", mixinStandardHelpOptions = true, description = "Recover a soft-deleted secret.")
        static final class Recover extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                JsonNode r = client.call("POST", "/deletedsecrets/" + name + "/recover", query(), null);
                printItem(out, r, "id", json());
            }
        }

        @Command(name = "purge", mixinStandardHelpOptions = true, description = "Purge a soft-deleted secret for good (refused under purge protection).")
        static final class Purge extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                client.call("DELETE", "/deletedsecrets/" + name, query(), null);
                out.println("Purged secret " + name + ".");
            }
        }
    }

    static void printDeleted(PrintWriter out, JsonNode d, boolean json) {
        if (json) {
            ClientCommand.printJson(out, d);
            return;
        }
        out.println("Deleted " + nameOf(d.path("recoveryId").asText()) + "; recoverable until "
                + Instant.ofEpochSecond(d.path("scheduledPurgeDate").asLong()) + ".");
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Keys: create, show, list, rotate, disable, enable, delete, recover, purge.",
            subcommands = {Key.Create.class, Key.Show.class, Key.ListKeys.class, Key.Rotate.class, Key.Disable.class, Key.Enable.class,
                    Key.Delete.class, Key.Recover.class, Key.Purge.class})
    static final class Key {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key (RSA 2048/3072/4096 or oct 256).")
        static final class Create extends ClientCommand {
            @Parameters(index = "0")
            String name;
            @Option(names = "--kty", defaultValue = "RSA", description = "RSA or oct. Default: ${DEFAULT-VALUE}")
            String kty;
            @Option(names = "--size", description = "RSA: 2048 (default), 3072, 4096; oct: 256.")
            Integer size;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.put("kty", kty);
                body.put("key_size", size != null ? size : (kty.startsWith("oct") ? 256 : 2048));
                printItem(out, client.call("POST", "/keys/" + name + "/create", query(), body), "kid", json());
            }
        }

        @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a key's public part and attributes (current version unless --version).")
        static final class Show extends ClientCommand {
            @Parameters(index = "0")
            String name;
            @Option(names = "--version")
            String version;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                printItem(out, client.call("GET", "/keys/" + name + "/" + (version == null ? "" : version), query(), null), "kid", json());
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys, or one key's versions, or soft-deleted keys.")
        static final class ListKeys extends ClientCommand {
            @Option(names = "--versions-of", description = "List this key's versions instead.")
            String versionsOf;
            @Option(names = "--deleted", description = "List soft-deleted keys instead.")
            boolean deleted;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                String path = deleted ? "/deletedkeys" : versionsOf != null ? "/keys/" + versionsOf + "/versions" : "/keys";
                printList(out, all(client, path), "kid", json());
            }
        }

        @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Make a new current version.")
        static final class Rotate extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                printItem(out, client.call("POST", "/keys/" + name + "/rotate", query(), null), "kid", json());
            }
        }

        abstract static class SetEnabled extends ClientCommand {
            @Parameters(index = "0")
            String name;
            @Option(names = "--version", description = "Default: the current version.")
            String version;

            abstract boolean enabled();

            @Override
            void run(ManagementClient client, PrintWriter out) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.putObject("attributes").put("enabled", enabled());
                printItem(out, client.call("PATCH", "/keys/" + name + "/" + (version == null ? "" : version), query(), body), "kid", json());
            }
        }

        @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a key version: every wrap and unwrap with it is refused.")
        static final class Disable extends SetEnabled {
            @Override
            boolean enabled() {
                return false;
            }
        }

        @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a key version again.")
        static final class Enable extends SetEnabled {
            @Override
            boolean enabled() {
                return true;
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, description = "Soft-delete a key.")
        static final class Delete extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                printDeleted(out, client.call("DELETE", "/keys/" + name, query(), null), json());
            }
        }

        @Command(name = "recover", mixinStandardHelpOptions = true, description = "Recover a soft-deleted key.")
        static final class Recover extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                printItem(out, client.call("POST", "/deletedkeys/" + name + "/recover", query(), null), "kid", json());
            }
        }

        @Command(name = "purge", mixinStandardHelpOptions = true, description = "Purge a soft-deleted key for good (refused under purge protection).")
        static final class Purge extends ClientCommand {
            @Parameters(index = "0")
            String name;

            @Override
            void run(ManagementClient client, PrintWriter out) {
                client.call("DELETE", "/deletedkeys/" + name, query(), null);
                out.println("Purged key " + name + ".");
            }
        }
    }
}
