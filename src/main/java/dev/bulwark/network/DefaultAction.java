package dev.bulwark.network;

/**
 * {@code networkAcls.defaultAction}: what happens to public traffic no rule matches. The rules only
 * bite under {@code Deny}; under {@code Allow} they are kept but have no effect (as in Azure).
 */
public enum DefaultAction {
    Allow,
    Deny;

    /** The ARM value, exactly as spelled (ARM clients send these spellings; anything else is refused). */
    static DefaultAction parse(String text) {
        for (DefaultAction a : values()) {
            if (a.name().equals(text)) {
                return a;
            }
        }
        throw new InvalidNetworkRuleException("InvalidNetworkAcls",
                "networkAcls.defaultAction '" + text + "' must be 'Allow' or 'Deny'");
    }
}
