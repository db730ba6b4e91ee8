package dev.bulwark.account;

/**
 * The account properties Bulwark enforces today, with ARM's names. A property that is accepted is
 * enforced: properties of features not built yet are refused, never silently stored.
 */
public record AccountProperties(boolean disableLocalAuth) {
    public static final AccountProperties DEFAULTS = new AccountProperties(false);
}
