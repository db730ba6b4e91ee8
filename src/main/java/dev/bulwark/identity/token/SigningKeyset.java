package dev.bulwark.identity.token;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The signing keys at one moment, frozen: one primary for new tokens, every key (primary included)
 * by kid for verification. {@link TokenService} swaps a whole new keyset in on rotation, so a signer
 * or verifier reads one consistent keyset without locking.
 */
record SigningKeyset(SigningKey primary, Map<String, SigningKey> byKid) {

    SigningKeyset {
        byKid = Map.copyOf(byKid);
        if (primary == null || primary.status() != SigningKeyStatus.PRIMARY || byKid.get(primary.kid()) != primary) {
            throw new IllegalStateException("a keyset needs exactly one primary key");
        }
    }

    static SigningKeyset of(Collection<SigningKey> keys) {
        SigningKey primary = null;
        Map<String, SigningKey> byKid = new HashMap<>();
        for (SigningKey k : keys) {
            if (k.status() == SigningKeyStatus.PRIMARY) {
                if (primary != null) {
                    throw new IllegalStateException("more than one primary signing key");
                }
                primary = k;
            }
            byKid.put(k.kid(), k);
        }
        return new SigningKeyset(primary, byKid);
    }

    /** A plain map lookup: the kid is never used as a path, a URL or in SQL. */
    SigningKey find(String kid) {
        return byKid.get(kid);
    }

    List<SigningKey> keys() {
        return List.copyOf(byKid.values());
    }
}
