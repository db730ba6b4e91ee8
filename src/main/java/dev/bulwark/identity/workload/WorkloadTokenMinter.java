package dev.bulwark.identity.workload;

/**
 * Issues Bulwark access tokens for an authenticated workload identity. The token endpoints depend
 * on this and never sign anything themselves; the server wires Bulwark's token service behind it.
 */
public interface WorkloadTokenMinter {

    /**
     * A signed access token for the identity, valid for {@link #lifetime()} from now.
     *
     * @param identityId the identity's id (its client_id); the token's principal
     * @param name       the identity's name, for display and audit
     * @param audience   the resource the token is for, as configured (e.g. {@code https://cognitiveservices.azure.com})
     */
    String mint(String identityId, String name, String audience);

    /** How long a minted token is valid; reported as {@code expires_in} / {@code expires_on}. */
    java.time.Duration lifetime();
}
