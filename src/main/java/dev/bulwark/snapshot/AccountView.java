package dev.bulwark.snapshot;

import dev.bulwark.account.AccountKind;

/** What the data plane needs to know about an account, and nothing it does not. */
public record AccountView(String name, AccountKind kind, boolean disableLocalAuth, String resourceId) {
}
