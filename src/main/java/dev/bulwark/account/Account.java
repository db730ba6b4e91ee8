package dev.bulwark.account;

import java.time.Instant;
import java.util.Map;

/** An account as stored. Immutable; changes produce a new value. */
public record Account(
        String name,
        AccountKind kind,
        String location,
        String sku,
        Map<String, String> tags,
        AccountProperties properties,
        Instant createdAt,
        Instant updatedAt) {

    public Account {
        tags = Map.copyOf(tags);
    }

    public String resourceId() {
        return resourceId(name);
    }

    public static String resourceId(String name) {
        return "/accounts/" + name;
    }
}
