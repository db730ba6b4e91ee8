package dev.bulwark.network;

import dev.bulwark.config.NamedSettingGroups;

import dev.bulwark.config.ConfigException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The networks defined in settings, by name. Frozen at startup. In the config file:
 * <pre>
 * network.corp.cidrs=10.0.0.0/8, fd00:1234::/32
 * network.corp.listeners=internal
 * </pre>
 * Lists are comma-separated. An unknown field, a bad CIDR (named with its key), a network with
 * neither field, or an entry listed twice stops the boot.
 */
public final class NamedNetworks {
    /** Every key of a network starts with this. */
    public static final String KEY_PREFIX = "network.";
    public static final Set<String> FIELDS = Set.of("cidrs", "listeners");

    private static final NamedNetworks NONE = new NamedNetworks(List.of());

    private final Map<String, NamedNetwork> byName;

    private NamedNetworks(Collection<NamedNetwork> networks) {
        Map<String, NamedNetwork> map = new TreeMap<>();
        for (NamedNetwork n : networks) {
            if (map.putIfAbsent(n.name(), n) != null) {
                throw new ConfigException("network name '" + n.name() + "' is defined twice");
            }
        }
        this.byName = Map.copyOf(map);
    }

    public static NamedNetworks none() {
        return NONE;
    }

    public static NamedNetworks of(NamedNetwork... networks) {
        return new NamedNetworks(List.of(networks));
    }

    public static NamedNetworks of(Collection<NamedNetwork> networks) {
        return new NamedNetworks(List.copyOf(networks));
    }

    public Optional<NamedNetwork> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    /** Whether a config key belongs to this format (so that Settings does not call it unknown). */
    public static boolean isNetworkKey(String key) {
        return key.startsWith(KEY_PREFIX);
    }

    /** Parses the format above from properties text (other keys are ignored). */
    public static NamedNetworks parse(String text) {
        return fromProperties(NamedSettingGroups.load(text, "network"));
    }

    /** Reads every {@code network.<name>.<field>} key; other keys are ignored. */
    public static NamedNetworks fromProperties(Properties properties) {
        Map<String, Map<String, String>> fieldsByName = NamedSettingGroups.read(properties, KEY_PREFIX, FIELDS, "network");
        List<NamedNetwork> networks = new ArrayList<>();
        fieldsByName.forEach((name, fields) -> {
            String prefix = KEY_PREFIX + name + ".";
            List<Cidr> cidrs = new ArrayList<>();
            for (String v : list(fields.get("cidrs"), prefix + "cidrs")) {
                try {
                    cidrs.add(Cidr.parse(v));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(prefix + "cidrs: '" + v + "' " + e.getMessage());
                }
            }
            try {
                networks.add(new NamedNetwork(name, cidrs, new LinkedHashSet<>(list(fields.get("listeners"), prefix + "listeners"))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage(), e);
            }
        });
        return new NamedNetworks(networks);
    }

    /** For error messages: the defined names, or a hint that there are none. */
    String describeNames() {
        return byName.isEmpty() ? " (none are defined)" : " (defined: " + String.join(", ", names()) + ")";
    }

    private static List<String> list(String value, String key) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",", -1)) {
            String v = part.strip();
            if (v.isEmpty()) {
                throw new ConfigException(key + " has an empty entry in '" + value + "'");
            }
            if (out.contains(v)) {
                throw new ConfigException(key + ": '" + v + "' is listed twice");
            }
            out.add(v);
        }
        return out;
    }
}
