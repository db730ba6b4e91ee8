package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/** {@code bulwark signing-key list|rotate}: the keys that sign Bulwark's tokens. */
@Command(name = "signing-key", mixinStandardHelpOptions = true, description = "Show or rotate the keys that sign Bulwark's tokens.",
        subcommands = {SigningKeyCommand.ListKeys.class, SigningKeyCommand.Rotate.class})
final class SigningKeyCommand {

    static void print(PrintWriter out, JsonNode r) {
        Table t = new Table("KID", "ROLE");
        for (JsonNode k : r.at("/jwks/keys")) {
            String kid = k.path("kid").asText();
            t.row(kid, kid.equals(r.path("primaryKeyId").asText()) ? "primary (signs new tokens)" : "verify-only (until its tokens expire)");
        }
        t.print(out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the signing keys.")
    static final class ListKeys extends ClientCommand {
        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", "/signingKeys", Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else {
                print(out, r);
            }
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new primary signing key; the old one verifies until its last token expires (10 minutes).")
    static final class Rotate extends ClientCommand {
        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("POST", "/signingKeys/rotate", Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else {
                print(out, r);
            }
        }
    }
}
