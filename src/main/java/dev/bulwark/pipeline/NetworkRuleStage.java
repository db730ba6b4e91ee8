package dev.bulwark.pipeline;

import dev.bulwark.network.IpAddress;
import dev.bulwark.network.NetworkPolicy;
import dev.bulwark.network.NetworkRejections;
import dev.bulwark.network.NetworkVerdict;

/**
 * Network rules: the account's {@code publicNetworkAccess} and {@code networkAcls}, applied to the
 * client address the {@link ClientAddressStage} decided and the listener the request came in on
 * ({@link RequestHead#listenerName()}, {@link RequestHead#listenerPrivate()}), (the socket peer, or for a trusted proxy
 * the hop it forwarded for). Never the raw socket peer and never a forwarding header directly.
 * Runs after account resolution and before authentication, so a caller the rules refuse learns
 * nothing about keys or tokens (a wrong key from a refused address gets 403, not 401).
 *
 * <p>An account without rules costs one field read and one boolean test; the allow path of an
 * account with rules allocates only the address array parsed from the decided client address
 * (Vert.x gives the peer only as text anyway). Refusals share prebuilt bodies and are audited.
 */
public final class NetworkRuleStage implements Stage {
    public static final String NAME = "network-rules";

    private static final Rejection FIREWALL = new Rejection(NetworkRejections.STATUS, NetworkRejections.firewallBody(),
            NetworkVerdict.DENY_FIREWALL.reason(), true);
    private static final Rejection PUBLIC_ACCESS = new Rejection(NetworkRejections.STATUS, NetworkRejections.privateEndpointBody(),
            NetworkVerdict.DENY_PUBLIC_ACCESS.reason(), true);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult apply(RequestContext c) {
        NetworkPolicy policy = c.account().network();
        if (policy.isOpen()) {
            return StageResult.next(c);
        }
        // The pipeline always decides the client address first; a context without one (a stage
        // called on its own) is read as the socket peer, which is what the decision would be.
        // A decided address that is not an IP literal (ClientAddressStage.UNKNOWN: a trusted proxy's
        // chain could not be read) is null here, and null matches no rule: never the socket peer
        // (the proxy), so an account allowing the proxy's network does not let such a request in.
        byte[] client = c.clientAddress() != null ? IpAddress.parseOrNull(c.clientAddress()) : c.head().peerAddressBytes();
        return switch (policy.evaluate(client, c.head().listenerName(), c.head().listenerPrivate())) {
            case ALLOW -> StageResult.next(c);
            case DENY_FIREWALL -> StageResult.reject(FIREWALL, c);
            case DENY_PUBLIC_ACCESS -> StageResult.reject(PUBLIC_ACCESS, c);
        };
    }
}
