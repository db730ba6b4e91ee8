package dev.bulwark.network;

import java.util.regex.Pattern;

/**
 * One {@code networkAcls.virtualNetworkRules} entry. In Azure {@code id} is a subnet's resource id;
 * in Bulwark it names a network defined in settings ({@link NamedNetwork}).
 *
 * @param id                               the named network
 * @param ignoreMissingVnetServiceEndpoint Azure: accept the rule although the subnet lacks the
 *                                         service endpoint. Ours: accept the rule although the named
 *                                         network is not defined in settings (it then matches
 *                                         nothing until it is); when false such a rule is refused
 */
public record VirtualNetworkRule(String id, boolean ignoreMissingVnetServiceEndpoint) {
    /** The same grammar as network names in settings, so a rule can always name one. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public VirtualNetworkRule {
        if (id == null || !NAME.matcher(id).matches()) {
            throw new IllegalArgumentException("is not a network name (1-64 letters, digits, '-' or '_', starting with a letter or digit)");
        }
    }
}
