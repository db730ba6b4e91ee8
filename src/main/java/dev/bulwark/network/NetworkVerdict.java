package dev.bulwark.network;

/**
 * The network stage's answer for one request. Constants, so evaluating allocates nothing; the
 * refusals map to WIRE.md's two 403 bodies ({@link NetworkRejections#body}).
 */
public enum NetworkVerdict {
    ALLOW("allowed by network rules"),
    /** defaultAction Deny and no ip rule, named network or listener matched. */
    DENY_FIREWALL("client address not allowed by the account's network rules"),
    /** publicNetworkAccess Disabled and the request came in on a public listener. */
    DENY_PUBLIC_ACCESS("public network access is disabled and the listener is not private");

    private final String reason;

    NetworkVerdict(String reason) {
        this.reason = reason;
    }

    public boolean allowed() {
        return this == ALLOW;
    }

    /** Why, for the audit record. */
    public String reason() {
        return reason;
    }
}
