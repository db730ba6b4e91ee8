package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bulwark usage} against a real Bulwark whose recorder was fed as the proxy feeds it. */
class UsageCliEndToEndTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static Map<String, String> env;

    record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        bulwark = new TestBulwark(home);
        Path ca = home.resolve("ca.pem");
        Files.writeString(ca, bulwark.bulwark().tls().certificatePem());
        env = Map.of("BULWARK_ENDPOINT", bulwark.managementUrl(), "BULWARK_ADMIN_TOKEN", TestBulwark.ADMIN_TOKEN,
                "BULWARK_CA_CERT", ca.toString());
        var usage = bulwark.bulwark().usage();
        usage.record("cli-acct", "gpt", "kid-1", "key:cli-acct/Key1", 40, 2);
        usage.record("cli-acct", "gpt", null, "workload:w#9", 10, 1);
        usage.record("other-acct", "emb", null, "workload:w#9", 5, 0);
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    @AfterEach
    void reset() {
        ClientOptions.environment = System.getenv();
        UsageCommand.clock = Clock.systemUTC();
    }

    private static Result cli(String... args) {
        ClientOptions.environment = env;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void aTableByAccountAndDeploymentByDefault() {
        Result r = cli("usage");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly(
                "ACCOUNT     DEPLOYMENT  REQUESTS  PROMPT  COMPLETION  TOTAL",
                "cli-acct    gpt         2         50      3           53",
                "other-acct  emb         1         5       0           5");
    }

    @Test
    void filtersGroupingAndJson() throws Exception {
        Result table = cli("usage", "--account", "cli-acct", "--deployment", "gpt", "--group-by", "key,deployment", "--since", "24h");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines().toList()).containsExactly(
                "DEPLOYMENT  KEY     REQUESTS  PROMPT  COMPLETION  TOTAL",
                "gpt         (none)  1         10      1           11",
                "gpt         kid-1   1         40      2           42");

        Result json = cli("usage", "--group-by", "principal", "-o", "json");
        assertThat(json.exit()).isZero();
        assertThat(json.json().get("value").findValuesAsText("principal")).containsExactly("key:cli-acct/Key1", "workload:w#9");
        assertThat(json.json().get("value").get(1).get("requests").asLong()).isEqualTo(2);

        Result past = cli("usage", "--until", "2000-01-01T00:00:00Z", "-o", "json");
        assertThat(past.json().get("value")).isEmpty();
    }

    @Test
    void badInputIsOneLineWithANonZeroExit() {
        Result badSince = cli("usage", "--since", "yesterday");
        assertThat(badSince.exit()).isEqualTo(2);
        assertThat(badSince.err()).startsWith("bulwark: --since must be").doesNotContain("\n\n");

        Result badGroup = cli("usage", "--group-by", "team");
        assertThat(badGroup.exit()).isEqualTo(1);
        assertThat(badGroup.err().strip()).startsWith("bulwark: HTTP 400 InvalidQueryParameter").contains("'team'").doesNotContain("\n");
    }

    @Test
    void sinceCountsBackFromNowOrTakesAnInstant() {
        Instant now = Instant.parse("2026-03-02T12:00:00Z");
        assertThat(UsageCommand.since("24h", now)).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(UsageCommand.since("30m", now)).isEqualTo(Instant.parse("2026-03-02T11:30:00Z"));
        assertThat(UsageCommand.since("7d", now)).isEqualTo(Instant.parse("2026-02-23T12:00:00Z"));
        assertThat(UsageCommand.since("2026-01-01T00:00:00Z", now)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThatThrownBy(() -> UsageCommand.since("-1h", now)).isInstanceOf(CliException.class);
    }
}
