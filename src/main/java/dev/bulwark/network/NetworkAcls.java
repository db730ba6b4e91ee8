package dev.bulwark.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An account's {@code networkAcls}, validated: the stored and API form. The data plane never reads
 * this; it reads the {@link NetworkPolicy} compiled from it.
 *
 * <p>Refused, each with a message naming the entry: an ip rule that is not an IPv4/IPv6 address or
 * CIDR (or has host bits set), a virtual network rule that is not a network name, more than 100
 * entries in either list (Azure's caps), and duplicates. Duplicates are refused rather than removed
 * because {@code 1.2.3.4} and {@code 1.2.3.4/32} being "the same" is a canonicalisation the author
 * should see, and because a list that comes back shorter than it went in looks like lost data.
 * Overlapping networks (10.0.0.0/8 and 10.1.0.0/16) are allowed: they are harmless, and the CLI's
 * {@code network-rule add} produces them naturally.
 *
 * @param defaultAction       what unmatched public traffic gets
 * @param bypass              kept for ARM compatibility; no effect (see {@link Bypass})
 * @param ipRules             allowed client networks, in the order given, canonical
 * @param virtualNetworkRules allowed named networks, in the order given
 */
public record NetworkAcls(DefaultAction defaultAction, Bypass bypass, List<Cidr> ipRules,
                          List<VirtualNetworkRule> virtualNetworkRules) {

    /** Azure's caps on both lists. */
    public static final int MAX_IP_RULES = 100;
    public static final int MAX_VIRTUAL_NETWORK_RULES = 100;

    /** What an account without networkAcls gets: everything allowed, no rules. */
    public static final NetworkAcls ALLOW_ALL = new NetworkAcls(DefaultAction.Allow, Bypass.None, List.of(), List.of());

    private static final Set<String> FIELDS = Set.of("defaultAction", "bypass", "ipRules", "virtualNetworkRules");
    private static final Set<String> IP_RULE_FIELDS = Set.of("value");
    private static final Set<String> VNET_RULE_FIELDS = Set.of("id", "ignoreMissingVnetServiceEndpoint");

    public NetworkAcls {
        if (defaultAction == null) {
            throw new InvalidNetworkRuleException("InvalidNetworkAcls", "networkAcls.defaultAction is required");
        }
        if (bypass == null) {
            throw new InvalidNetworkRuleException("InvalidNetworkAcls", "networkAcls.bypass is required");
        }
        ipRules = List.copyOf(ipRules);
        virtualNetworkRules = List.copyOf(virtualNetworkRules);
        if (ipRules.size() > MAX_IP_RULES) {
            throw new InvalidNetworkRuleException("TooManyNetworkRules", "networkAcls.ipRules has " + ipRules.size()
                    + " entries; at most " + MAX_IP_RULES + " are allowed");
        }
        if (virtualNetworkRules.size() > MAX_VIRTUAL_NETWORK_RULES) {
            throw new InvalidNetworkRuleException("TooManyNetworkRules", "networkAcls.virtualNetworkRules has "
                    + virtualNetworkRules.size() + " entries; at most " + MAX_VIRTUAL_NETWORK_RULES + " are allowed");
        }
        Map<Cidr, Integer> seen = new HashMap<>();
        for (int i = 0; i < ipRules.size(); i++) {
            Integer first = seen.putIfAbsent(ipRules.get(i), i);
            if (first != null) {
                throw new InvalidNetworkRuleException("InvalidIpRule", "ipRules[" + i + "] '" + ipRules.get(i)
                        + "' duplicates ipRules[" + first + "]");
            }
        }
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < virtualNetworkRules.size(); i++) {
            Integer first = names.putIfAbsent(virtualNetworkRules.get(i).id(), i);
            if (first != null) {
                throw new InvalidNetworkRuleException("InvalidVirtualNetworkRule", "virtualNetworkRules[" + i + "] '"
                        + virtualNetworkRules.get(i).id() + "' duplicates virtualNetworkRules[" + first + "]");
            }
        }
    }

    /**
     * Parses WIRE.md's shape strictly: unknown fields, wrong types and missing {@code defaultAction}
     * are refused. {@code bypass} defaults to {@code None}; absent lists are empty. The lists' sizes
     * are checked before any entry is parsed, so an oversized body costs little.
     */
    public static NetworkAcls fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("networkAcls must be a JSON object");
        }
        unknownFields(node, FIELDS, "networkAcls");
        DefaultAction defaultAction = DefaultAction.parse(requiredText(node, "defaultAction", "networkAcls.defaultAction"));
        Bypass bypass = node.hasNonNull("bypass") ? Bypass.parse(requiredText(node, "bypass", "networkAcls.bypass")) : Bypass.None;

        JsonNode ips = array(node, "ipRules", MAX_IP_RULES);
        List<Cidr> ipRules = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            String where = "ipRules[" + i + "]";
            JsonNode rule = ips.get(i);
            if (!rule.isObject()) {
                throw new InvalidNetworkRuleException("InvalidIpRule", where + " must be an object {\"value\":\"<address or CIDR>\"}");
            }
            unknownFields(rule, IP_RULE_FIELDS, where);
            String value = requiredText(rule, "value", where + ".value");
            try {
                ipRules.add(Cidr.parse(value));
            } catch (IllegalArgumentException e) {
                throw new InvalidNetworkRuleException("InvalidIpRule", where + " '" + value + "' " + e.getMessage());
            }
        }

        JsonNode vnets = array(node, "virtualNetworkRules", MAX_VIRTUAL_NETWORK_RULES);
        List<VirtualNetworkRule> vnetRules = new ArrayList<>();
        for (int i = 0; i < vnets.size(); i++) {
            String where = "virtualNetworkRules[" + i + "]";
            JsonNode rule = vnets.get(i);
            if (!rule.isObject()) {
                throw new InvalidNetworkRuleException("InvalidVirtualNetworkRule", where + " must be an object {\"id\":\"<network name>\"}");
            }
            unknownFields(rule, VNET_RULE_FIELDS, where);
            String id = requiredText(rule, "id", where + ".id");
            boolean ignoreMissing = false;
            JsonNode flag = rule.get("ignoreMissingVnetServiceEndpoint");
            if (flag != null && !flag.isNull()) {
                if (!flag.isBoolean()) {
                    throw new InvalidNetworkRuleException("InvalidVirtualNetworkRule",
                            where + ".ignoreMissingVnetServiceEndpoint must be true or false");
                }
                ignoreMissing = flag.booleanValue();
            }
            try {
                vnetRules.add(new VirtualNetworkRule(id, ignoreMissing));
            } catch (IllegalArgumentException e) {
                throw new InvalidNetworkRuleException("InvalidVirtualNetworkRule", where + " '" + id + "' " + e.getMessage());
            }
        }
        return new NetworkAcls(defaultAction, bypass, ipRules, vnetRules);
    }

    /** WIRE.md's shape, every field present, ip rules in canonical text. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("defaultAction", defaultAction.name());
        o.put("bypass", bypass.name());
        var ips = o.putArray("ipRules");
        for (Cidr c : ipRules) {
            ips.addObject().put("value", c.toString());
        }
        var vnets = o.putArray("virtualNetworkRules");
        for (VirtualNetworkRule r : virtualNetworkRules) {
            vnets.addObject().put("id", r.id()).put("ignoreMissingVnetServiceEndpoint", r.ignoreMissingVnetServiceEndpoint());
        }
        return o;
    }

    /**
     * Refuses a virtual network rule naming a network the settings do not define, unless the rule
     * sets {@code ignoreMissingVnetServiceEndpoint}. Called when the account is written (the
     * settings are known then); a network removed from settings later makes its rules match
     * nothing, which is the deny-side failure.
     */
    public void checkNetworksExist(NamedNetworks networks) {
        for (int i = 0; i < virtualNetworkRules.size(); i++) {
            VirtualNetworkRule r = virtualNetworkRules.get(i);
            if (!r.ignoreMissingVnetServiceEndpoint() && networks.find(r.id()).isEmpty()) {
                throw new InvalidNetworkRuleException("InvalidVirtualNetworkRule", "virtualNetworkRules[" + i + "] '" + r.id()
                        + "' is not a network defined in Bulwark's settings" + networks.describeNames());
            }
        }
    }

    private static InvalidNetworkRuleException invalid(String message) {
        return new InvalidNetworkRuleException("InvalidNetworkAcls", message);
    }

    private static void unknownFields(JsonNode o, Set<String> known, String where) {
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw invalid(where + " has unknown field '" + f + "'");
            }
        }
    }

    private static String requiredText(JsonNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw invalid(where + " is required");
        }
        if (!n.isTextual()) {
            throw invalid(where + " must be a string");
        }
        return n.textValue();
    }

    private static JsonNode array(JsonNode o, String field, int max) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!n.isArray()) {
            throw invalid("networkAcls." + field + " must be an array");
        }
        if (n.size() > max) {
            throw new InvalidNetworkRuleException("TooManyNetworkRules", "networkAcls." + field + " has " + n.size()
                    + " entries; at most " + max + " are allowed");
        }
        return n;
    }
}
