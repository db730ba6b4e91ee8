package dev.bulwark.account;

import java.util.Map;

/** The desired state of an account, from a PUT body. */
public record AccountSpec(AccountKind kind, String location, String sku, Map<String, String> tags, AccountProperties properties) {
    public AccountSpec {
        tags = Map.copyOf(tags);
    }
}
