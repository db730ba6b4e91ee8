package dev.bulwark.pipeline;

/**
 * Client address: the socket peer. Forwarding headers are not read here at all; trusted proxies
 * (and the headers they may set) arrive with the network-rules work.
 */
public final class ClientAddressStage implements Stage {
    @Override
    public String name() {
        return "client-address";
    }

    @Override
    public StageResult apply(RequestContext c) {
        return StageResult.next(c.withClientAddress(c.head().peerAddress()));
    }
}
