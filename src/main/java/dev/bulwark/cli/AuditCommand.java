package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bulwark audit list|verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and verify the audit log.",
        subcommands = {AuditCommand.ListRecords.class, AuditCommand.Verify.class})
final class AuditCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Audit records, newest first.")
    static final class ListRecords extends ClientCommand {
        @Option(names = "--account", description = "Only records of this account")
        String account;
        @Option(names = "--operation", description = "Only this operation, e.g. Microsoft.CognitiveServices/accounts/regenerateKey/action")
        String operation;
        @Option(names = "--since", description = "ISO-8601 instant, e.g. 2026-01-31T00:00:00Z")
        String since;
        @Option(names = "--until", description = "ISO-8601 instant")
        String until;
        @Option(names = "--top", defaultValue = "100", description = "At most this many records (1-1000, default 100)")
        int top;

        @Override
        void run(ManagementClient client, PrintWriter out) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("account", account);
            q.put("operation", operation);
            q.put("since", since);
            q.put("until", until);
            q.put("top", Integer.toString(top));
            JsonNode r = client.call("GET", "/audit", q, null);
            if (json()) {
                printJson(out, r);
                return;
            }
            Table t = new Table("TIME", "OPERATION", "RESOURCE", "RESULT", "STATUS", "CALLER", "IDENTITY");
            for (JsonNode rec : r.path("value")) {
                t.row(rec.path("time").asText(), rec.path("operationName").asText(), rec.path("resourceId").asText(),
                        rec.path("resultType").asText(), rec.path("resultSignature").asText(), rec.path("callerIpAddress").asText(),
                        rec.path("identity").asText());
            }
            t.print(out);
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Check the audit log's hash chain; exits 1 if it is broken.")
    static final class Verify extends ClientCommand {
        @Override
        void run(ManagementClient client, PrintWriter out) {
            JsonNode r = client.call("GET", "/audit/verify", Map.of(), null);
            if (json()) {
                printJson(out, r);
            } else if (r.path("intact").asBoolean()) {
                out.println("Audit log intact: " + r.path("records").asLong() + " records, head " + r.path("headHash").asText());
            }
            if (!r.path("intact").asBoolean()) {
                throw new CliException("audit log BROKEN at record " + r.path("atSequence").asLong() + ": " + r.path("reason").asText(), 1);
            }
        }
    }
}
