package dev.bulwark.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkAclsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void wireShapeRoundTrips() throws Exception {
        String wire = "{\"defaultAction\":\"Deny\",\"bypass\":\"None\",\"ipRules\":[{\"value\":\"203.0.113.0/24\"},"
                + "{\"value\":\"2001:db8::/32\"},{\"value\":\"198.51.100.7\"}],"
                + "\"virtualNetworkRules\":[{\"id\":\"corp\",\"ignoreMissingVnetServiceEndpoint\":false}]}";
        NetworkAcls acls = NetworkAcls.fromJson(JSON.readTree(wire));
        assertThat(acls.defaultAction()).isEqualTo(DefaultAction.Deny);
        assertThat(acls.ipRules()).extracting(Cidr::toString).containsExactly("203.0.113.0/24", "2001:db8::/32", "198.51.100.7");
        assertThat(acls.virtualNetworkRules()).containsExactly(new VirtualNetworkRule("corp", false));
        assertThat(acls.toJson()).isEqualTo(JSON.readTree(wire));
        assertThat(NetworkAcls.fromJson(acls.toJson())).isEqualTo(acls);
    }

    @Test
    void ipRulesComeBackInCanonicalForm() throws Exception {
        NetworkAcls acls = NetworkAcls.fromJson(JSON.readTree(
                "{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"1.2.3.4/32\"},{\"value\":\"2001:DB8:0:0::/64\"}]}"));
        assertThat(acls.toJson().get("ipRules").toString())
                .isEqualTo("[{\"value\":\"1.2.3.4\"},{\"value\":\"2001:db8::/64\"}]");
        assertThat(acls.toJson().get("bypass").asText()).isEqualTo("None");
        assertThat(acls.toJson().get("virtualNetworkRules").isEmpty()).isTrue();
    }

    @Test
    void anInvalidIpRuleIsRefusedNamingTheEntry() {
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"1.2.3.4\"},{\"value\":\"5.6.7.8\"},"
                        + "{\"value\":\"9.9.9.9\"},{\"value\":\"10.0.0.300/8\"}]}",
                "InvalidIpRule", "ipRules[3] '10.0.0.300/8' is not an IPv4 or IPv6 address or CIDR");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"203.0.113.5/24\"}]}",
                "InvalidIpRule", "ipRules[0] '203.0.113.5/24' has host bits set; the network is '203.0.113.0/24'");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"fe80::1%eth0\"}]}",
                "InvalidIpRule", "ipRules[0] 'fe80::1%eth0' is not an IPv4 or IPv6 address or CIDR (zone ids");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"010.0.0.1\"}]}",
                "InvalidIpRule", "ipRules[0] '010.0.0.1' is not an IPv4 or IPv6 address or CIDR");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"example.com\"}]}",
                "InvalidIpRule", "ipRules[0] 'example.com'");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":5}]}", "InvalidNetworkAcls",
                "ipRules[0].value must be a string");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[\"1.2.3.4\"]}", "InvalidIpRule", "ipRules[0] must be an object");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"1.2.3.4\",\"action\":\"Allow\"}]}",
                "InvalidNetworkAcls", "ipRules[0] has unknown field 'action'");
    }

    @Test
    void anInvalidVirtualNetworkRuleIsRefusedNamingTheEntry() {
        assertRefused("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\"},{\"id\":\"a/b\"}]}",
                "InvalidVirtualNetworkRule", "virtualNetworkRules[1] 'a/b' is not a network name");
        assertRefused("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\",\"ignoreMissingVnetServiceEndpoint\":\"yes\"}]}",
                "InvalidVirtualNetworkRule", "virtualNetworkRules[0].ignoreMissingVnetServiceEndpoint must be true or false");
        assertRefused("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{}]}", "InvalidNetworkAcls",
                "virtualNetworkRules[0].id is required");
    }

    @Test
    void duplicatesAreRefusedNamingBothEntries() {
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"1.2.3.4\"},{\"value\":\"5.6.7.8\"},{\"value\":\"1.2.3.4/32\"}]}",
                "InvalidIpRule", "ipRules[2] '1.2.3.4' duplicates ipRules[0]");
        assertRefused("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\"},{\"id\":\"corp\"}]}",
                "InvalidVirtualNetworkRule", "virtualNetworkRules[1] 'corp' duplicates virtualNetworkRules[0]");
    }

    @Test
    void overlappingNetworksAreAccepted() throws Exception {
        NetworkAcls acls = NetworkAcls.fromJson(JSON.readTree(
                "{\"defaultAction\":\"Deny\",\"ipRules\":[{\"value\":\"10.0.0.0/8\"},{\"value\":\"10.1.0.0/16\"}]}"));
        assertThat(acls.ipRules()).hasSize(2);
    }

    @Test
    void aHundredRulesOfEachKindAreAcceptedAndOneMoreIsRefused() {
        ObjectNode body = JSON.createObjectNode().put("defaultAction", "Deny");
        ArrayNode ips = body.putArray("ipRules");
        ArrayNode vnets = body.putArray("virtualNetworkRules");
        for (int i = 0; i < 100; i++) {
            ips.addObject().put("value", "10.0." + i + ".0/24");
            vnets.addObject().put("id", "net-" + i);
        }
        NetworkAcls acls = NetworkAcls.fromJson(body);
        assertThat(acls.ipRules()).hasSize(100);
        assertThat(acls.virtualNetworkRules()).hasSize(100);

        ips.addObject().put("value", "10.0.200.0/24");
        assertRefused(body, "TooManyNetworkRules", "networkAcls.ipRules has 101 entries; at most 100 are allowed");
        ips.remove(100);
        vnets.addObject().put("id", "net-100");
        assertRefused(body, "TooManyNetworkRules", "networkAcls.virtualNetworkRules has 101 entries; at most 100 are allowed");
    }

    @Test
    void theRecordEnforcesTheLimitsToo() {
        List<Cidr> many = new java.util.ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(Cidr.parse("10.0." + i + ".0/24"));
        }
        assertThatThrownBy(() -> new NetworkAcls(DefaultAction.Deny, Bypass.None, many, List.of()))
                .isInstanceOf(InvalidNetworkRuleException.class).hasMessageContaining("at most 100");
    }

    @Test
    void theShapeIsStrict() {
        assertRefused("{\"ipRules\":[]}", "InvalidNetworkAcls", "networkAcls.defaultAction is required");
        assertRefused("{\"defaultAction\":\"deny\"}", "InvalidNetworkAcls", "networkAcls.defaultAction 'deny' must be 'Allow' or 'Deny'");
        assertRefused("{\"defaultAction\":\"Deny\",\"bypass\":\"Everything\"}", "InvalidNetworkAcls",
                "networkAcls.bypass 'Everything' must be 'None' or 'AzureServices'");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRule\":[]}", "InvalidNetworkAcls", "networkAcls has unknown field 'ipRule'");
        assertRefused("{\"defaultAction\":\"Deny\",\"ipRules\":{}}", "InvalidNetworkAcls", "networkAcls.ipRules must be an array");
        assertRefused("[]", "InvalidNetworkAcls", "networkAcls must be a JSON object");
    }

    @Test
    void bypassIsKeptThoughItHasNoEffect() throws Exception {
        NetworkAcls acls = NetworkAcls.fromJson(JSON.readTree("{\"defaultAction\":\"Deny\",\"bypass\":\"AzureServices\"}"));
        assertThat(acls.bypass()).isEqualTo(Bypass.AzureServices);
        assertThat(acls.toJson().get("bypass").asText()).isEqualTo("AzureServices");
        NetworkPolicy policy = NetworkPolicy.compile(acls, PublicNetworkAccess.Enabled, NamedNetworks.none());
        assertThat(policy.evaluate(IpAddress.parse("1.2.3.4"), "public", false)).isEqualTo(NetworkVerdict.DENY_FIREWALL);
    }

    @Test
    void rulesNamingUndefinedNetworksAreReportedUnlessMarkedToIgnore() throws Exception {
        NamedNetworks networks = NamedNetworks.of(new NamedNetwork("corp", List.of(Cidr.parse("10.0.0.0/8")), Set.of()));
        NetworkAcls ok = NetworkAcls.fromJson(JSON.readTree("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\"},"
                + "{\"id\":\"lab\",\"ignoreMissingVnetServiceEndpoint\":true}]}"));
        ok.checkNetworksExist(networks);
        NetworkAcls bad = NetworkAcls.fromJson(JSON.readTree("{\"defaultAction\":\"Deny\",\"virtualNetworkRules\":[{\"id\":\"corp\"},{\"id\":\"lab\"}]}"));
        assertThatThrownBy(() -> bad.checkNetworksExist(networks))
                .isInstanceOf(InvalidNetworkRuleException.class)
                .hasMessage("virtualNetworkRules[1] 'lab' is not a network defined in Bulwark's settings (defined: corp)");
        assertThatThrownBy(() -> bad.checkNetworksExist(NamedNetworks.none())).hasMessageContaining("(none are defined)");
    }

    private static void assertRefused(String json, String code, String messageStart) {
        try {
            assertRefused(JSON.readTree(json), code, messageStart);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRefused(JsonNode json, String code, String messageStart) {
        assertThatThrownBy(() -> NetworkAcls.fromJson(json))
                .isInstanceOfSatisfying(InvalidNetworkRuleException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageStartingWith(messageStart);
    }
}
