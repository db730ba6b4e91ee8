package dev.bulwark.network;

/**
 * Network settings of an account that are refused (the management API answers 400 with
 * {@code code} and this message). The message names the offending entry, such as
 * {@code ipRules[3] '10.0.0.300/8' is not an IPv4 or IPv6 address or CIDR (...)}. The codes are
 * ours: Azure does not document its own for these cases.
 */
public final class InvalidNetworkRuleException extends IllegalArgumentException {
    private final String code;

    public InvalidNetworkRuleException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
