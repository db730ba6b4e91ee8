package dev.bulwark.identity.workload;

import dev.bulwark.identity.Principal;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A workload identity: the managed-identity analogue. Its id is the OAuth {@code client_id} and the
 * principal id role assignments name. It holds no secret: only when its credentials were made.
 *
 * @param currentSecret  the client secret for new work, if the identity has one
 * @param previousSecret the secret it replaced, still accepted until {@link SecretInfo#expiresAt()}
 * @param publicKey      the registered key for {@code private_key_jwt}, if any
 */
public record WorkloadIdentity(UUID id, String name, Instant createdAt, Instant updatedAt,
                               Optional<RegisteredPublicKey> publicKey,
                               Optional<SecretInfo> currentSecret, Optional<SecretInfo> previousSecret) {

    /** When a secret was made and, for a previous secret, when it stops working. */
    public record SecretInfo(Instant createdAt, Optional<Instant> expiresAt) {
    }

    public String clientId() {
        return id.toString();
    }

    public String resourceId() {
        return resourceId(name);
    }

    public static String resourceId(String name) {
        return "/identities/" + name;
    }

    public Principal.Workload principal() {
        return new Principal.Workload(id.toString(), name);
    }
}
