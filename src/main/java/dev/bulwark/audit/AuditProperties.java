package dev.bulwark.audit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Deep, validated, immutable copy of a record's {@code properties}. Only the JSON values whose
 * canonical form is exact are allowed: strings, booleans, integers within ±(2^53-1) (the range every
 * JSON reader, JavaScript included, holds exactly), arrays and objects. No floating point (its text
 * form is where canonical JSON implementations disagree) and no nulls (leave the key out instead).
 * Maps are sorted by key so iteration order is the canonical order.
 */
final class AuditProperties {

    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final int MAX_DEPTH = 8;

    /**
     * Property names that nearly always carry a secret value. A tripwire for programming mistakes
     * (for example copying an ARM listKeys body into properties), not a guarantee: callers must
     * still never pass secrets. Compared lower-case with '-', '_' and '.' removed.
     */
    private static final Set<String> SECRET_NAMES = Set.of(
            "password", "passwd", "secret", "clientsecret", "apikey", "subscriptionkey",
            "ocpapimsubscriptionkey", "authorization", "bearer", "token", "accesstoken", "refreshtoken",
            "idtoken", "sastoken", "privatekey", "key1", "key2", "primarykey", "secondarykey",
            "connectionstring");

    private AuditProperties() {
    }

    static Map<String, Object> copyOf(Map<String, ?> properties) {
        if (properties == null) {
            return Collections.emptySortedMap();
        }
        return copyMap(properties, "properties", 0);
    }

    private static Map<String, Object> copyMap(Map<?, ?> map, String path, int depth) {
        TreeMap<String, Object> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String rawKey)) {
                throw new IllegalArgumentException(path + " has a key that is not a string");
            }
            String key = AuditText.clean(rawKey);
            String normalised = key.toLowerCase(Locale.ROOT).replaceAll("[-_.]", "");
            if (SECRET_NAMES.contains(normalised)) {
                throw new IllegalArgumentException(path + "." + key
                        + " looks like a secret; audit records never carry secrets");
            }
            out.put(key, copyValue(e.getValue(), path + "." + key, depth + 1));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    private static Object copyValue(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (value) {
            case null -> throw new IllegalArgumentException(path + " is null; leave the key out instead");
            case String s -> AuditText.clean(s);
            case Boolean b -> b;
            case Long l -> safe(l, path);
            case Integer i -> safe(i.longValue(), path);
            case Short s -> safe(s.longValue(), path);
            case Byte b -> safe(b.longValue(), path);
            case BigInteger big -> {
                if (big.bitLength() > 63) {
                    throw new IllegalArgumentException(path + " is outside ±(2^53-1)");
                }
                yield safe(big.longValue(), path);
            }
            case Map<?, ?> m -> copyMap(m, path, depth);
            case Collection<?> c -> {
                List<Object> list = new ArrayList<>(c.size());
                int i = 0;
                for (Object item : c) {
                    list.add(copyValue(item, path + "[" + i++ + "]", depth + 1));
                }
                yield Collections.unmodifiableList(list);
            }
            default -> throw new IllegalArgumentException(path + " has unsupported type "
                    + value.getClass().getSimpleName() + " (use string, boolean, integer, list or map)");
        };
    }

    private static Long safe(long value, String path) {
        if (value > MAX_SAFE_INTEGER || value < -MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException(path + " is outside ±(2^53-1)");
        }
        return value;
    }
}
