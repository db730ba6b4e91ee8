package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Map;

/** {@code bulwark account keys list|regenerate}. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "List or regenerate an account's two keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Regenerate.class})
final class KeysCommand {

    enum KeyName { Key1, Key2 }

    static void print(PrintWriter out, JsonNode keys) {
        new Table("NAME", "KEY").row("key1", keys.path("key1").asText()).row("key2", keys.path("key2").asText()).print(out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show both keys of an account.")
    static final class ListKeys extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode keys = client.call("POST", "/accounts/" + name + "/listKeys", Map.of(), null);
            if (json()) {
                printJson(out, keys);
            } else {
                print(out, keys);
            }
        }
    }

    @Command(name = "regenerate", mixinStandardHelpOptions = true,
            description = {"Replace one key; the other keeps working.",
                    "Rotation: point apps at key2, regenerate Key1, point apps at the new key1, regenerate Key2."})
    static final class Regenerate extends ClientCommand {
        @Parameters(index = "0", description = "Account name.")
        String name;
        @Option(names = "--key-name", required = true, description = "Key1 or Key2")
        KeyName keyName;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode keys = client.call("POST", "/accounts/" + name + "/regenerateKey", Map.of(),
                    new ObjectMapper().createObjectNode().put("keyName", keyName.name()));
            if (json()) {
                printJson(out, keys);
            } else {
                print(out, keys);
            }
        }
    }
}
