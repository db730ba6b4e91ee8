package dev.bulwark.identity.token;

import dev.bulwark.identity.Principal;

import java.time.Instant;
import java.util.Objects;

/** The outcome of {@link TokenService#verify}: who the token speaks for, or why it was refused. */
public sealed interface TokenVerdict {

    /** An acceptable token. {@code expiresAt} is the token's {@code exp} (without leeway). */
    record Valid(Principal principal, Instant expiresAt) implements TokenVerdict {
        public Valid {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * A refused token. {@code reason} is for the audit record: short, one of a fixed set of phrases
     * (the constants in {@code Reason}), never any part of the token.
     */
    record Invalid(String reason) implements TokenVerdict {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
