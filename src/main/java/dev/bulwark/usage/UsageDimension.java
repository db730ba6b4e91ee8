package dev.bulwark.usage;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What usage can be grouped by: its name in {@code groupBy}, its column, its field in answers. */
public enum UsageDimension {
    ACCOUNT("account", "account", "account"),
    DEPLOYMENT("deployment", "deployment", "deployment"),
    KEY("key", "key_id", "keyId"),
    PRINCIPAL("principal", "principal", "principal"),
    HOUR("hour", "hour", "hour");

    /** What {@code groupBy} means when it is absent. */
    public static final List<UsageDimension> DEFAULT_GROUP_BY = List.of(ACCOUNT, DEPLOYMENT);

    private final String parameter;
    private final String column;
    private final String field;

    UsageDimension(String parameter, String column, String field) {
        this.parameter = parameter;
        this.column = column;
        this.field = field;
    }

    public String parameter() {
        return parameter;
    }

    String column() {
        return column;
    }

    /** The JSON field name in answers. */
    public String field() {
        return field;
    }

    /**
     * A comma-separated list such as {@code deployment,key}, in that order of names but returned in
     * declaration order (so columns and sorting do not depend on how the caller wrote it); a name
     * given twice counts once. Null or blank gives {@link #DEFAULT_GROUP_BY}.
     *
     * @throws IllegalArgumentException naming the unknown entry and the known ones
     */
    public static List<UsageDimension> parseList(String csv) {
        if (csv == null || csv.isBlank()) {
            return DEFAULT_GROUP_BY;
        }
        Set<UsageDimension> out = EnumSet.noneOf(UsageDimension.class);
        for (String part : csv.split(",", -1)) {
            out.add(parse(part.strip()));
        }
        return List.copyOf(out);
    }

    public static UsageDimension parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (UsageDimension d : values()) {
            if (d.parameter.equals(n)) {
                return d;
            }
        }
        List<String> known = new ArrayList<>();
        for (UsageDimension d : values()) {
            known.add(d.parameter);
        }
        throw new IllegalArgumentException("groupBy: unknown dimension '" + printable(name) + "'; use a comma-separated list of "
                + String.join(", ", known));
    }

    /** Echoes at most 40 printable ASCII characters of caller input. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }
}
