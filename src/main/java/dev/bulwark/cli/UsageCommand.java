package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bulwark usage}: requests and tokens of model deployments, grouped as asked. */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Model-deployment usage (requests, prompt and completion tokens) from the hourly usage table.")
final class UsageCommand extends ClientCommand {
    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([smhd])");
    // Column order follows the server's, which sorts dimensions the same way whatever the order given.
    private static final List<String> DIMENSIONS = List.of("account", "deployment", "key", "principal", "hour");
    /** The clock "--since 24h" counts back from; tests replace it. */
    static Clock clock = Clock.systemUTC();

    @Option(names = "--account", description = "Only this account")
    String account;
    @Option(names = "--deployment", description = "Only this deployment")
    String deployment;
    @Option(names = "--since", description = "From: a duration back from now (30m, 24h, 7d) or an ISO-8601 instant; hourly buckets overlapping it count")
    String since;
    @Option(names = "--until", description = "To (exclusive): an ISO-8601 instant")
    String until;
    @Option(names = "--group-by", description = "Comma-separated: account, deployment, key, principal, hour (default account,deployment)")
    String groupBy;

    @Override
    void run(ManagementClient client, PrintWriter out) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("account", account);
        q.put("deployment", deployment);
        q.put("from", since == null ? null : since(since, clock.instant()).toString());
        q.put("to", until);
        q.put("groupBy", groupBy);
        JsonNode r = client.call("GET", "/usage", q, null);
        if (json()) {
            printJson(out, r);
            return;
        }
        List<String> dims = dimensions(groupBy);
        List<String> headers = new ArrayList<>();
        dims.forEach(d -> headers.add(d.toUpperCase(Locale.ROOT)));
        headers.addAll(List.of("REQUESTS", "PROMPT", "COMPLETION", "TOTAL"));
        Table t = new Table(headers.toArray(String[]::new));
        for (JsonNode row : r.path("value")) {
            List<Object> cells = new ArrayList<>();
            for (String d : dims) {
                JsonNode v = row.path(d.equals("key") ? "keyId" : d);
                cells.add(d.equals("key") && v.isNull() ? "(none)" : v.asText());
            }
            cells.add(row.path("requests").asLong());
            cells.add(row.path("promptTokens").asLong());
            cells.add(row.path("completionTokens").asLong());
            cells.add(row.path("totalTokens").asLong());
            t.row(cells.toArray());
        }
        t.print(out);
    }

    /** {@code 24h} means 24 hours before now; anything else must be an ISO-8601 instant. */
    static Instant since(String value, Instant now) {
        String v = value.strip();
        Matcher m = RELATIVE.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new CliException("--since must be a duration such as 24h, 30m or 7d, or an ISO-8601 instant such as 2026-01-31T00:00:00Z", 2);
        }
    }

    /** The table's dimension columns: those asked for, in the server's order (the server checks the names). */
    private static List<String> dimensions(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return List.of("account", "deployment");
        }
        List<String> asked = new ArrayList<>();
        for (String part : groupBy.split(",")) {
            asked.add(part.strip().toLowerCase(Locale.ROOT));
        }
        return DIMENSIONS.stream().filter(asked::contains).toList();
    }
}
