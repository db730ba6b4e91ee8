package dev.bulwark.pipeline;

import dev.bulwark.identity.Principal;
import dev.bulwark.service.DataPlaneRoute;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.Snapshot;

/**
 * What the stages have learned about one request, typed and immutable: each stage returns a new
 * context with its finding filled in. No attribute bag, no casts, no skip flags.
 *
 * @param requestId     the {@code apim-request-id} sent back and written to the audit record
 * @param head          the request itself
 * @param snapshot      the snapshot read once for the whole request, so every stage sees the same
 * @param clientAddress the caller's address (client address stage)
 * @param account       the target account (account resolution stage)
 * @param servicePath   the path below the account's endpoint, starting with '/'
 * @param principal     who is calling (authentication stage)
 * @param route         the service operation asked for (route stage)
 */
public record RequestContext(
        String requestId,
        RequestHead head,
        Snapshot snapshot,
        String clientAddress,
        AccountView account,
        String servicePath,
        Principal principal,
        DataPlaneRoute route) {

    public static RequestContext start(String requestId, RequestHead head, Snapshot snapshot) {
        return new RequestContext(requestId, head, snapshot, null, null, null, null, null);
    }

    public RequestContext withClientAddress(String address) {
        return new RequestContext(requestId, head, snapshot, address, account, servicePath, principal, route);
    }

    public RequestContext withAccount(AccountView a, String path) {
        return new RequestContext(requestId, head, snapshot, clientAddress, a, path, principal, route);
    }

    public RequestContext withPrincipal(Principal p) {
        return new RequestContext(requestId, head, snapshot, clientAddress, account, servicePath, p, route);
    }

    public RequestContext withRoute(DataPlaneRoute r) {
        return new RequestContext(requestId, head, snapshot, clientAddress, account, servicePath, principal, r);
    }
}
