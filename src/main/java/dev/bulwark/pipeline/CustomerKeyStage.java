package dev.bulwark.pipeline;

import java.nio.charset.StandardCharsets;

/**
 * Refuses calls to an account whose customer-managed key is not usable now (disabled, deleted,
 * expired, or Bulwark's grant removed): revoking the key makes the whole account unusable, as in
 * Azure. Reads the flag the snapshot computed, so the check costs one field read and no key-store
 * round trip. Runs after authentication, so only a caller with a valid credential learns the key's
 * state; everyone else still gets 401.
 */
public final class CustomerKeyStage implements Stage {
    public static final String NAME = "customer-managed-key";
    public static final String CODE = "CustomerManagedKeyAccessDenied";

    private static final Rejection REVOKED = new Rejection(403, ("{\"error\":{\"code\":\"" + CODE + "\",\"message\":\""
            + "The customer-managed key of this resource is not accessible. Restore access to the key to use the resource.\"}}")
            .getBytes(StandardCharsets.UTF_8), "customer-managed key not accessible", true);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageResult apply(RequestContext c) {
        return c.account().customerKeyUsable() ? StageResult.next(c) : StageResult.reject(REVOKED, c);
    }
}
