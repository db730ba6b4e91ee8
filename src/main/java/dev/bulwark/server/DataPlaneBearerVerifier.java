package dev.bulwark.server;

import dev.bulwark.identity.token.KeyGenerations;
import dev.bulwark.identity.token.TokenService;
import dev.bulwark.identity.token.TokenVerdict;
import dev.bulwark.pipeline.BearerVerifier;
import dev.bulwark.snapshot.AccountView;

/**
 * Bearer tokens on the data plane: Bulwark's own tokens (exchanged for a key, or issued to a
 * workload identity), then, for a token signed by a key Bulwark does not have, the next verifier
 * (trusted OIDC issuers). A token exchanged for a key stays valid only while that key is current,
 * which is read from the request's own snapshot (no I/O).
 */
final class DataPlaneBearerVerifier implements BearerVerifier {
    /** What the next verifier says of a token from an issuer it does not trust. */
    static final String NOT_TRUSTED = "token from an untrusted issuer";

    private final TokenService tokens;
    private final BearerVerifier next;

    DataPlaneBearerVerifier(TokenService tokens, BearerVerifier next) {
        this.tokens = tokens;
        this.next = next;
    }

    @Override
    public Verdict verify(String token, AccountView account) {
        KeyGenerations current = (name, slot, keyId) -> name.equals(account.name()) && keyId.equals(account.keyId(slot));
        TokenVerdict verdict = tokens.verify(token, account.name(), current);
        return switch (verdict) {
            case TokenVerdict.Valid valid -> new Verdict.Valid(valid.principal());
            // Not one of Bulwark's: a trusted issuer's token, or nobody's. The next verifier answers
            // for tokens of issuers it trusts; for the rest Bulwark's own reason stands.
            case TokenVerdict.Invalid invalid -> switch (next.verify(token, account)) {
                case Verdict.Valid valid -> valid;
                case Verdict.Invalid other when other.reason().equals(NOT_TRUSTED) -> new Verdict.Invalid(invalid.reason());
                case Verdict.Invalid other -> other;
            };
        };
    }
}
