package dev.bulwark.pipeline;

import dev.bulwark.identity.Principal;
import dev.bulwark.snapshot.AccountView;

/**
 * Checks a bearer token for a request to an account. Implementations (Bulwark's own tokens, trusted
 * OIDC issuers) must be non-blocking: the stage calls them on the event loop.
 */
public interface BearerVerifier {

    Verdict verify(String token, AccountView account);

    sealed interface Verdict {
        record Valid(Principal principal) implements Verdict {
        }

        /** @param reason short, for the audit record; never contains the token */
        record Invalid(String reason) implements Verdict {
        }
    }

    /** Refuses every token: the default until an issuer is trusted. */
    BearerVerifier NONE = (token, account) -> new Verdict.Invalid("token from an untrusted issuer");
}
