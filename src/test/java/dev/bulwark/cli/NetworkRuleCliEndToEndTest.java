package dev.bulwark.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.cli.CliHarness.Result;
import dev.bulwark.server.TestBulwark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark account network-rule ...} and {@code account update --default-action/--public-network-access} against a real Bulwark. */
class NetworkRuleCliEndToEndTest {
    @TempDir
    static Path home;
    static CliHarness harness;
    static TestBulwark bulwark;

    @BeforeAll
    static void start() throws Exception {
        harness = new CliHarness(home);
        bulwark = harness.bulwark();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static Result cli(String... args) {
        return harness.run(args);
    }

    private static JsonNode properties(String account) {
        return bulwark.management("GET", "/accounts/" + account, null).json().get("properties");
    }

    @Test
    void addListRemoveAndUpdate() throws Exception {
        bulwark.createAccount("cli-net", "TextAnalytics");

        Result added = cli("account", "network-rule", "add", "cli-net", "--ip-address", "203.0.113.0/24");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).contains("203.0.113.0/24").contains("defaultAction Deny");
        assertThat(cli("account", "network-rule", "add", "cli-net", "--ip-address", "2001:db8::1").exit()).isZero();
        // Adding what is there already changes nothing.
        assertThat(cli("account", "network-rule", "add", "cli-net", "--ip-address", "2001:db8::1/128").exit()).isZero();

        Result list = cli("account", "network-rule", "list", "cli-net", "-o", "json");
        assertThat(list.exit()).isZero();
        assertThat(list.json().get("ipRules").findValuesAsText("value")).containsExactly("203.0.113.0/24", "2001:db8::1");

        Result deny = cli("account", "update", "cli-net", "--default-action", "Deny", "--public-network-access", "Disabled");
        assertThat(deny.exit()).as(deny.err()).isZero();
        JsonNode p = properties("cli-net");
        assertThat(p.at("/networkAcls/defaultAction").asText()).isEqualTo("Deny");
        assertThat(p.at("/networkAcls/ipRules").size()).isEqualTo(2);
        assertThat(p.at("/publicNetworkAccess").asText()).isEqualTo("Disabled");

        Result removed = cli("account", "network-rule", "remove", "cli-net", "--ip-address", "2001:db8::1");
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("Default action: Deny").contains("203.0.113.0/24").doesNotContain("2001:db8::1");
        assertThat(properties("cli-net").at("/networkAcls/defaultAction").asText()).isEqualTo("Deny");

        Result missing = cli("account", "network-rule", "remove", "cli-net", "--ip-address", "198.51.100.1");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("198.51.100.1");

        Result invalid = cli("account", "network-rule", "add", "cli-net", "--ip-address", "10.0.0.1/8");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.err()).contains("10.0.0.1/8");

        Result badAction = cli("account", "update", "cli-net", "--default-action", "Maybe");
        assertThat(badAction.exit()).isNotZero();
    }

    @Test
    void outboundUrlChecksAreSetByUpdate() {
        bulwark.createAccount("cli-dlp", "OpenAI");
        Result on = cli("account", "update", "cli-dlp", "--restrict-outbound-network-access", "true",
                "--allowed-fqdn-list", "images.example.com,203.0.113.7");
        assertThat(on.exit()).as(on.err()).isZero();
        JsonNode p = properties("cli-dlp");
        assertThat(p.at("/restrictOutboundNetworkAccess").asBoolean()).isTrue();
        assertThat(p.at("/allowedFqdnList/0").asText()).isEqualTo("images.example.com");
        assertThat(p.at("/allowedFqdnList/1").asText()).isEqualTo("203.0.113.7");

        Result bad = cli("account", "update", "cli-dlp", "--allowed-fqdn-list", "https://images.example.com/");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("allowedFqdnList[0]").contains("https://images.example.com/");
        assertThat(properties("cli-dlp").at("/allowedFqdnList").size()).isEqualTo(2);

        Result cleared = cli("account", "update", "cli-dlp", "--allowed-fqdn-list");
        assertThat(cleared.exit()).as(cleared.err()).isZero();
        assertThat(properties("cli-dlp").at("/allowedFqdnList").size()).isZero();

        Result off = cli("account", "update", "cli-dlp", "--restrict-outbound-network-access", "false");
        assertThat(off.exit()).as(off.err()).isZero();
        assertThat(properties("cli-dlp").at("/restrictOutboundNetworkAccess").asBoolean()).isFalse();
    }
}
