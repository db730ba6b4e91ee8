package dev.bulwark.network;

import java.util.List;
import java.util.Set;

/**
 * A network defined by the operator in settings and named by accounts' virtualNetworkRules
 * (Bulwark's analogue of an Azure subnet). Traffic belongs to it when the client address is in one
 * of its CIDRs or the request arrived on one of its listeners (for a listener bound to an internal
 * interface, where the interface says more than the address).
 *
 * @param name      what virtualNetworkRules' {@code id} refers to
 * @param cidrs     client networks
 * @param listeners names of data-plane listeners
 */
public record NamedNetwork(String name, List<Cidr> cidrs, Set<String> listeners) {

    public NamedNetwork {
        if (name == null || !VirtualNetworkRule.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("network name '" + name
                    + "' must be 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        cidrs = List.copyOf(cidrs);
        listeners = Set.copyOf(listeners);
        if (cidrs.isEmpty() && listeners.isEmpty()) {
            // An empty network would make a rule naming it look meaningful while matching nothing.
            throw new IllegalArgumentException("network '" + name + "' has neither CIDRs nor listeners");
        }
        for (String l : listeners) {
            if (!VirtualNetworkRule.NAME.matcher(l).matches()) {
                throw new IllegalArgumentException("network '" + name + "': listener name '" + l
                        + "' must be 1-64 letters, digits, '-' or '_'");
            }
        }
    }
}
