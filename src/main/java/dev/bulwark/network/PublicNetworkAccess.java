package dev.bulwark.network;

/**
 * {@code publicNetworkAccess}: whether the account answers on public listeners at all. Disabled
 * leaves only listeners marked private (Bulwark's analogue of Azure private endpoints).
 */
public enum PublicNetworkAccess {
    Enabled,
    Disabled;

    /** The ARM value, exactly as spelled; anything else is refused. */
    public static PublicNetworkAccess parse(String text) {
        for (PublicNetworkAccess p : values()) {
            if (p.name().equals(text)) {
                return p;
            }
        }
        throw new InvalidNetworkRuleException("InvalidPublicNetworkAccess",
                "publicNetworkAccess '" + text + "' must be 'Enabled' or 'Disabled'");
    }
}
