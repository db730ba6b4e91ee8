package dev.bulwark.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings that come in named groups, {@code <prefix><name>.<field>=value} (OIDC issuers, named
 * networks): read into name -> field -> value, refusing malformed keys and unknown fields by name.
 */
public final class NamedSettingGroups {
    private NamedSettingGroups() {
    }

    /** Properties text, or a ConfigException saying which settings ({@code what}) it was for. */
    public static Properties load(String text, String what) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(what + " settings are not valid properties text: " + e.getMessage(), e);
        }
        return p;
    }

    /** Every {@code <prefix><name>.<field>} key of {@code properties}, by name then field (sorted); other keys are ignored. */
    public static Map<String, Map<String, String>> read(Properties properties, String prefix, Set<String> fields, String what) {
        Map<String, Map<String, String>> fieldsByName = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String rest = key.substring(prefix.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new ConfigException("setting '" + key + "' must have the form " + prefix + "<name>.<field>,"
                        + " field one of " + new TreeSet<>(fields));
            }
            String field = rest.substring(dot + 1);
            if (!fields.contains(field)) {
                throw new ConfigException("unknown " + what + " setting '" + key + "'; fields: " + new TreeSet<>(fields));
            }
            fieldsByName.computeIfAbsent(rest.substring(0, dot), n -> new TreeMap<>()).put(field, properties.getProperty(key).strip());
        }
        return fieldsByName;
    }
}
