package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.identity.Principal;

/**
 * Authentication: exactly one credential per request, either an account key
 * ({@code Ocp-Apim-Subscription-Key} / {@code api-key}, checked by {@link KeyAuthenticationStage}) or
 * {@code Authorization: Bearer <token>} (checked by a {@link BearerVerifier}). Two credentials, or
 * none, is the same 401 as a wrong key. {@code disableLocalAuth} refuses keys and tokens exchanged
 * for keys; identity tokens keep working.
 *
 * <p>On the OpenAI-compatible paths ({@code /openai/...}, {@code /v1/...}) a bearer value in the
 * account-key format is an account key, because that is how OpenAI clients send keys; it is told
 * apart from a token by its format (prefix and checksum) and then meets exactly the key rules.
 * Elsewhere a key sent as a bearer token is refused.
 */
public final class AuthenticationStage implements Stage {
    private static final int MAX_TOKEN_CHARS = 8192;

    private final KeyAuthenticationStage keys;
    private final BearerVerifier bearer;

    public AuthenticationStage(KeyAuthenticationStage keys, BearerVerifier bearer) {
        this.keys = keys;
        this.bearer = bearer;
    }

    @Override
    public String name() {
        return "authentication";
    }

    @Override
    public StageResult apply(RequestContext c) {
        RequestHead h = c.head();
        boolean hasKey = h.header(KeyAuthenticationStage.SUBSCRIPTION_KEY) != null || h.header(KeyAuthenticationStage.API_KEY) != null;
        String authorization = h.header("Authorization");
        if (authorization == null) {
            return keys.apply(c);
        }
        if (hasKey) {
            return refuse(c, "more than one credential");
        }
        if (h.headerCount("Authorization") > 1) {
            return refuse(c, "repeated Authorization header");
        }
        if (authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(c, "Authorization is not a bearer token");
        }
        String token = authorization.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return refuse(c, token.isEmpty() ? "empty bearer token" : "oversized bearer token");
        }
        if (AccountKeyFormat.looksLikeKey(token)) {
            if (!OpenAiPaths.accepts(c.servicePath())) {
                return refuse(c, "account key sent as a bearer token outside the OpenAI routes");
            }
            return keys.check(c, token);
        }
        return switch (bearer.verify(token, c.account())) {
            case BearerVerifier.Verdict.Invalid invalid -> refuse(c, invalid.reason());
            case BearerVerifier.Verdict.Valid valid -> {
                if (valid.principal() instanceof Principal.AccountKey key) {
                    if (!key.account().equals(c.account().name())) {
                        yield refuse(c, "token of another account");
                    }
                    if (c.account().disableLocalAuth()) {
                        yield refuse(c, "key authentication is disabled for the account");
                    }
                }
                yield StageResult.next(c.withPrincipal(valid.principal()));
            }
        };
    }

    private static StageResult refuse(RequestContext c, String reason) {
        return StageResult.reject(Rejection.unauthorized(reason), c);
    }
}
