package dev.bulwark.vault;

import java.time.Instant;
import java.util.Optional;

/**
 * A version's attributes, as Key Vault names them: enabled, nbf (not before), exp (expires), created,
 * updated. Times are whole seconds.
 */
public record VaultAttributes(boolean enabled, Optional<Instant> notBefore, Optional<Instant> expires, Instant created, Instant updated) {

    /** Usable now: enabled, past nbf, before exp. */
    public boolean usableAt(Instant now) {
        return enabled && notBefore.map(n -> !now.isBefore(n)).orElse(true) && expires.map(now::isBefore).orElse(true);
    }

    /** Why a version is not usable now, for an error message; null when it is. */
    String refusalAt(Instant now) {
        if (!enabled) {
            return "disabled";
        }
        if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
            return "not yet valid";
        }
        if (expires.isPresent() && !now.isBefore(expires.get())) {
            return "expired";
        }
        return null;
    }
}
