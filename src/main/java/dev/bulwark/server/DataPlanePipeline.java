package dev.bulwark.server;

import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.network.IpRuleSet;
import dev.bulwark.pipeline.AccountResolutionStage;
import dev.bulwark.pipeline.AuthenticationStage;
import dev.bulwark.pipeline.AuthorizationStage;
import dev.bulwark.pipeline.BearerVerifier;
import dev.bulwark.pipeline.ClientAddressStage;
import dev.bulwark.pipeline.CustomerKeyStage;
import dev.bulwark.pipeline.KeyAuthenticationStage;
import dev.bulwark.pipeline.NetworkRuleStage;
import dev.bulwark.pipeline.Pipeline;
import dev.bulwark.pipeline.RouteStage;
import dev.bulwark.service.DataPlaneRoute;

import java.util.List;
import java.util.Optional;

/**
 * The data plane's stages, in order, in one place. TLS is done by the listener before any of this;
 * the service, audit and metrics steps follow in {@link DataPlane}.
 */
public final class DataPlanePipeline {
    private DataPlanePipeline() {
    }

    public static Pipeline build(Optional<String> baseDomain, KeyedDigest keyDigest, BearerVerifier bearer, List<DataPlaneRoute> routes) {
        return build(baseDomain, keyDigest, bearer, routes, IpRuleSet.EMPTY);
    }

    /** Trusted proxies that write X-Forwarded-For (the default header). */
    public static Pipeline build(Optional<String> baseDomain, KeyedDigest keyDigest, BearerVerifier bearer, List<DataPlaneRoute> routes,
                                 IpRuleSet trustedProxies) {
        return build(baseDomain, keyDigest, bearer, routes, trustedProxies, dev.bulwark.network.ForwardingHeader.X_FORWARDED_FOR);
    }

    /**
     * @param trustedProxies peers whose forwarding headers name the client (none: the socket peer is the client)
     * @param header         the one forwarding header those peers write; the other is never read
     */
    public static Pipeline build(Optional<String> baseDomain, KeyedDigest keyDigest, BearerVerifier bearer, List<DataPlaneRoute> routes,
                                 IpRuleSet trustedProxies, dev.bulwark.network.ForwardingHeader header) {
        return new Pipeline(List.of(
                // 1. Who is calling from where: the socket peer, or what a trusted proxy forwarded for.
                new ClientAddressStage(trustedProxies, header),
                // 2. Which account the request is for (path or host); unknown -> 401.
                new AccountResolutionStage(baseDomain, keyDigest),
                // 3. May the request come from where it comes from (the account's network rules)?
                //    Refused -> 403, before any credential is looked at. The listener comes with the request head.
                new NetworkRuleStage(),
                // 4. Who is calling: one account key or one bearer token, valid for this account.
                new AuthenticationStage(new KeyAuthenticationStage(keyDigest), bearer),
                // 4b. Is the account's customer-managed key (if any) usable? Revoked -> 403 for the whole account.
                new CustomerKeyStage(),
                // 5. Which service operation: unknown -> 404, wrong method -> 405.
                new RouteStage(routes),
                // 6. May this principal perform the route's data action on this account (RBAC)?
                new AuthorizationStage()
                // 7. (quota, data loss prevention: later issues)
        ));
    }
}
