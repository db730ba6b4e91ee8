package dev.bulwark.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.dlp.AllowedFqdns;
import dev.bulwark.network.InvalidNetworkRuleException;
import dev.bulwark.network.NamedNetworks;
import dev.bulwark.network.NetworkAcls;
import dev.bulwark.network.PublicNetworkAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ARM-shaped account bodies: parsing PUT/PATCH requests and rendering responses. Read-only fields
 * a client echoes back from a GET are ignored; properties of features not built yet are refused by
 * name rather than stored and not enforced.
 */
public final class AccountJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{1,64}");
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9]{1,16}");
    private static final int MAX_TAGS = 50;

    private static final Set<String> TOP_LEVEL = Set.of("name", "location", "kind", "sku", "tags", "properties",
            "id", "type", "etag", "systemData");
    private static final Set<String> READ_ONLY_PROPERTIES = Set.of("endpoint", "endpoints", "provisioningState",
            "dateCreated", "internalId", "capabilities", "callRateLimit", "quotaLimit", "isMigrated", "skuChangeInfo");
    private static final Set<String> SUPPORTED_PROPERTIES = Set.of("disableLocalAuth", "networkAcls", "publicNetworkAccess",
            "restrictOutboundNetworkAccess", "allowedFqdnList", "encryption");
    private static final Set<String> NOT_YET_SUPPORTED = Set.of("userOwnedStorage", "customSubDomainName",
            "apiProperties", "privateEndpointConnections", "migrationToken", "restore", "dynamicThrottlingEnabled");

    private AccountJson() {
    }

    public static AccountSpec parsePut(String name, JsonNode body) {
        return parsePut(name, body, NamedNetworks.none());
    }

    /** @param networks the named networks from settings: a virtual network rule must name one of them */
    public static AccountSpec parsePut(String name, JsonNode body, NamedNetworks networks) {
        ObjectNode o = object(body, "request body");
        checkTopLevel(name, o);
        if (o.hasNonNull("identity")) {
            throw unsupported("identity");
        }
        String kindText = text(o, "kind").orElseThrow(() -> new AccountValidationException("MissingKind", "kind is required"));
        String location = text(o, "location").orElseThrow(() -> new AccountValidationException("MissingLocation", "location is required"));
        return new AccountSpec(AccountKind.parse(kindText), location(location), sku(o).orElse("S0"),
                tags(o).orElse(Map.of()), properties(o, networks));
    }

    public static AccountPatch parsePatch(String name, JsonNode body) {
        return parsePatch(name, body, NamedNetworks.none());
    }

    /** @param networks the named networks from settings: a virtual network rule must name one of them */
    public static AccountPatch parsePatch(String name, JsonNode body, NamedNetworks networks) {
        ObjectNode o = object(body, "request body");
        checkTopLevel(name, o);
        if (o.hasNonNull("identity")) {
            throw unsupported("identity");
        }
        for (String immutable : new String[] {"kind", "location"}) {
            if (o.has(immutable)) {
                throw new AccountValidationException("PropertyChangeNotAllowed", immutable + " cannot be changed by PATCH");
            }
        }
        Optional<Boolean> disableLocalAuth = Optional.empty();
        Optional<NetworkAcls> networkAcls = Optional.empty();
        Optional<PublicNetworkAccess> publicNetworkAccess = Optional.empty();
        Optional<Boolean> restrict = Optional.empty();
        Optional<List<String>> allowed = Optional.empty();
        Optional<AccountEncryption> encryption = Optional.empty();
        if (o.has("properties") && !o.get("properties").isNull()) {
            ObjectNode p = object(o.get("properties"), "properties");
            checkProperties(p);
            if (p.has("disableLocalAuth")) {
                disableLocalAuth = Optional.of(bool(p, "disableLocalAuth"));
            }
            networkAcls = networkAcls(p, networks);
            publicNetworkAccess = publicNetworkAccess(p);
            if (p.hasNonNull("restrictOutboundNetworkAccess")) {
                restrict = Optional.of(bool(p, "restrictOutboundNetworkAccess"));
            }
            allowed = allowedFqdnList(p);
            if (p.has("encryption")) {
                encryption = Optional.of(AccountEncryption.fromJson(p.get("encryption")));
            }
        }
        return new AccountPatch(sku(o), tags(o), disableLocalAuth, networkAcls, publicNetworkAccess, restrict, allowed, encryption);
    }

    public static ObjectNode render(Account a, AccountEndpoints endpoints) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", a.resourceId());
        o.put("name", a.name());
        o.put("type", "Microsoft.CognitiveServices/accounts");
        o.put("location", a.location());
        o.put("kind", a.kind().name());
        o.putObject("sku").put("name", a.sku());
        ObjectNode tags = o.putObject("tags");
        new java.util.TreeMap<>(a.tags()).forEach(tags::put);
        ObjectNode p = o.putObject("properties");
        p.put("endpoint", endpoints.primary(a.name()));
        ObjectNode all = p.putObject("endpoints");
        endpoints.all(a.name()).forEach(all::put);
        p.put("provisioningState", "Succeeded");
        p.put("disableLocalAuth", a.properties().disableLocalAuth());
        p.set("networkAcls", (a.properties().networkAcls() != null ? a.properties().networkAcls() : NetworkAcls.ALLOW_ALL).toJson());
        p.put("publicNetworkAccess", a.properties().publicNetworkAccess().name());
        p.put("restrictOutboundNetworkAccess", a.properties().restrictOutboundNetworkAccess());
        if (a.properties().allowedFqdnList() != null) {
            var list = p.putArray("allowedFqdnList");
            a.properties().allowedFqdnList().forEach(list::add);
        }
        p.set("encryption", a.properties().encryption().toJson());
        p.put("dateCreated", a.createdAt().toString());
        ObjectNode system = o.putObject("systemData");
        system.put("createdAt", a.createdAt().toString());
        system.put("lastModifiedAt", a.updatedAt().toString());
        return o;
    }

    public static ObjectNode renderKeys(AccountKeys keys) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key1", keys.key1());
        o.put("key2", keys.key2());
        return o;
    }

    private static void checkTopLevel(String name, ObjectNode o) {
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f) && !f.equals("identity")) {
                throw new AccountValidationException("InvalidRequestContent", "unknown field '" + f + "'");
            }
        }
        if (o.has("name") && !name.equals(o.get("name").asText())) {
            throw new AccountValidationException("InvalidRequestContent",
                    "name in the body ('" + o.get("name").asText() + "') differs from the name in the path ('" + name + "')");
        }
    }

    private static AccountProperties properties(ObjectNode o, NamedNetworks networks) {
        if (!o.has("properties") || o.get("properties").isNull()) {
            return AccountProperties.DEFAULTS;
        }
        ObjectNode p = object(o.get("properties"), "properties");
        checkProperties(p);
        return new AccountProperties(p.has("disableLocalAuth") && bool(p, "disableLocalAuth"),
                networkAcls(p, networks).orElse(null), publicNetworkAccess(p).orElse(PublicNetworkAccess.Enabled),
                p.hasNonNull("restrictOutboundNetworkAccess") && bool(p, "restrictOutboundNetworkAccess"),
                allowedFqdnList(p).orElse(null), AccountEncryption.fromJson(p.get("encryption")));
    }

    /** properties.allowedFqdnList, validated entry by entry by {@link AllowedFqdns}; absent or null: not given. */
    private static Optional<List<String>> allowedFqdnList(ObjectNode p) {
        JsonNode n = p.get("allowedFqdnList");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw new AccountValidationException("InvalidAllowedFqdnList", "properties.allowedFqdnList must be an array of strings");
        }
        if (n.size() > AllowedFqdns.MAX_ENTRIES) {
            throw new AccountValidationException("InvalidAllowedFqdnList", "properties.allowedFqdnList has " + n.size()
                    + " entries; at most " + AllowedFqdns.MAX_ENTRIES + " are allowed");
        }
        List<String> entries = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                throw new AccountValidationException("InvalidAllowedFqdnList", "properties.allowedFqdnList[" + i + "] must be a string");
            }
            entries.add(n.get(i).asText());
        }
        try {
            AllowedFqdns.of(entries);
        } catch (IllegalArgumentException e) {
            throw new AccountValidationException("InvalidAllowedFqdnList", "properties." + e.getMessage()
                    + " ('" + shown(entries, e.getMessage()) + "')");
        }
        return Optional.of(entries);
    }

    /** The entry an AllowedFqdns message names ("allowedFqdnList[3] ..."), cut to 100 characters. */
    private static String shown(List<String> entries, String message) {
        var m = Pattern.compile("^allowedFqdnList\\[(\\d+)]").matcher(message);
        if (!m.find()) {
            return "";
        }
        String e = entries.get(Integer.parseInt(m.group(1)));
        StringBuilder out = new StringBuilder();
        e.codePoints().filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT)
                .limit(100).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** properties.networkAcls, validated; absent or null: not given. */
    private static Optional<NetworkAcls> networkAcls(ObjectNode p, NamedNetworks networks) {
        JsonNode n = p.get("networkAcls");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        try {
            NetworkAcls acls = NetworkAcls.fromJson(n);
            // A virtual network rule naming a network the settings do not define is refused (unless
            // it says to ignore that) rather than stored and matching nothing.
            acls.checkNetworksExist(networks);
            return Optional.of(acls);
        } catch (InvalidNetworkRuleException e) {
            throw new AccountValidationException(e.code(), e.getMessage());
        }
    }

    private static Optional<PublicNetworkAccess> publicNetworkAccess(ObjectNode p) {
        JsonNode n = p.get("publicNetworkAccess");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        try {
            if (!n.isTextual()) {
                throw new AccountValidationException("InvalidPublicNetworkAccess",
                        "properties.publicNetworkAccess must be 'Enabled' or 'Disabled'");
            }
            return Optional.of(PublicNetworkAccess.parse(n.asText()));
        } catch (InvalidNetworkRuleException e) {
            throw new AccountValidationException(e.code(), e.getMessage());
        }
    }

    private static void checkProperties(ObjectNode p) {
        for (var it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (SUPPORTED_PROPERTIES.contains(f) || READ_ONLY_PROPERTIES.contains(f)) {
                continue;
            }
            if (NOT_YET_SUPPORTED.contains(f)) {
                throw unsupported("properties." + f);
            }
            throw new AccountValidationException("InvalidRequestContent", "unknown property 'properties." + f + "'");
        }
    }

    private static AccountValidationException unsupported(String field) {
        return new AccountValidationException("FeatureNotSupported", "'" + field
                + "' is not supported by this version of Bulwark; it is refused rather than stored without being enforced");
    }

    private static Optional<String> sku(ObjectNode o) {
        if (!o.has("sku") || o.get("sku").isNull()) {
            return Optional.empty();
        }
        ObjectNode s = object(o.get("sku"), "sku");
        String n = text(s, "name").orElseThrow(() -> new AccountValidationException("InvalidSku", "sku.name is required"));
        if (!SKU.matcher(n).matches()) {
            throw new AccountValidationException("InvalidSku", "sku.name must be 1-16 letters or digits");
        }
        return Optional.of(n);
    }

    private static Optional<Map<String, String>> tags(ObjectNode o) {
        if (!o.has("tags") || o.get("tags").isNull()) {
            return Optional.empty();
        }
        ObjectNode t = object(o.get("tags"), "tags");
        if (t.size() > MAX_TAGS) {
            throw new AccountValidationException("InvalidTags", "at most " + MAX_TAGS + " tags are allowed");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = t.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new AccountValidationException("InvalidTags", "tag '" + e.getKey() + "' must be a string");
            }
            if (e.getKey().isEmpty() || e.getKey().length() > 512 || e.getValue().asText().length() > 256) {
                throw new AccountValidationException("InvalidTags", "tag names are 1-512 characters and values at most 256");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return Optional.of(out);
    }

    private static String location(String l) {
        if (!LOCATION.matcher(l).matches()) {
            throw new AccountValidationException("InvalidLocation",
                    "location must be a region name of lower-case letters and digits, such as 'westeurope'");
        }
        return l;
    }

    private static ObjectNode object(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new AccountValidationException("InvalidRequestContent", what + " must be a JSON object");
        }
        return (ObjectNode) n;
    }

    private static Optional<String> text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw new AccountValidationException("InvalidRequestContent", field + " must be a string");
        }
        return Optional.of(n.asText());
    }

    private static boolean bool(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (!n.isBoolean()) {
            throw new AccountValidationException("InvalidRequestContent", "properties." + field + " must be true or false");
        }
        return n.asBoolean();
    }
}
