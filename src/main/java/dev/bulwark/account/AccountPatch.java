package dev.bulwark.account;

import java.util.Map;
import java.util.Optional;

/** An ARM PATCH: only what is present changes; tags, when given, replace the old tags. */
public record AccountPatch(Optional<String> sku, Optional<Map<String, String>> tags, Optional<Boolean> disableLocalAuth) {

    Account applyTo(Account a, java.time.Instant now) {
        AccountProperties p = new AccountProperties(disableLocalAuth.orElse(a.properties().disableLocalAuth()));
        return new Account(a.name(), a.kind(), a.location(), sku.orElse(a.sku()), tags.orElse(a.tags()), p, a.createdAt(), now);
    }
}
