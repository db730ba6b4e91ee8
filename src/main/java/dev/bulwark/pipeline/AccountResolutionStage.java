package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.DigestKey;
import dev.bulwark.snapshot.KeyBinding;

import java.util.Optional;

/**
 * Account resolution: {@code /accounts/<name>/...} or, with a base domain, the host
 * {@code <name>.<base-domain>}. An unknown account gets the same 401 as a wrong key, so callers
 * cannot enumerate account names.
 *
 * <p>Two exceptions, where the presented key names the account (the authentication stage then
 * checks that key again, as for any request): the global token exchange
 * {@code /sts/v1.0/issueToken}, as in Azure's regional STS endpoint, and the OpenAI-compatible paths
 * at the root ({@code /v1/...}, {@code /openai/...}), so that an OpenAI client needs only a base URL
 * and a key. There the key may also come as {@code Authorization: Bearer <key>}.
 */
public final class AccountResolutionStage implements Stage {
    private static final String PREFIX = "/accounts/";
    public static final String GLOBAL_ISSUE_TOKEN = "/sts/v1.0/issueToken";
    private final String hostSuffix;
    private final KeyedDigest keyDigest;

    public AccountResolutionStage(Optional<String> baseDomain, KeyedDigest keyDigest) {
        this.hostSuffix = baseDomain.map(d -> "." + d).orElse(null);
        this.keyDigest = keyDigest;
    }

    @Override
    public String name() {
        return "account-resolution";
    }

    @Override
    public StageResult apply(RequestContext c) {
        String path = c.head().path();
        if (path.startsWith(PREFIX)) {
            int end = path.indexOf('/', PREFIX.length());
            String name = end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
            String rest = end < 0 ? "/" : path.substring(end);
            // An endpoint configured with a trailing slash yields "/accounts/x//language/...".
            while (rest.startsWith("//")) {
                rest = rest.substring(1);
            }
            return resolve(c, name, rest);
        }
        String host = c.head().host();
        if (hostSuffix != null && host != null && host.endsWith(hostSuffix)) {
            String label = host.substring(0, host.length() - hostSuffix.length());
            return resolve(c, label, path);
        }
        if (path.equals(GLOBAL_ISSUE_TOKEN)) {
            return byKey(c, false);
        }
        if (OpenAiPaths.accepts(path)) {
            return byKey(c, true);
        }
        return StageResult.reject(Rejection.notFound(), c);
    }

    private StageResult byKey(RequestContext c, boolean bearerKeys) {
        String key = c.head().header(KeyAuthenticationStage.SUBSCRIPTION_KEY);
        if (key == null) {
            key = c.head().header(KeyAuthenticationStage.API_KEY);
        }
        String authorization = bearerKeys && key == null ? c.head().header("Authorization") : null;
        if (authorization != null && authorization.length() > 7 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        }
        if (key == null || !AccountKeyFormat.isWellFormed(key)) {
            return StageResult.reject(Rejection.unauthorized(key == null ? "no key" : "malformed key"), c);
        }
        KeyBinding binding = c.snapshot().key(new DigestKey(keyDigest.digestAscii(key)));
        if (binding == null) {
            return StageResult.reject(Rejection.unauthorized("unknown key"), c);
        }
        return resolve(c, binding.account(), c.head().path());
    }

    private static StageResult resolve(RequestContext c, String name, String rest) {
        AccountView account = c.snapshot().account(name);
        if (account == null) {
            return StageResult.reject(Rejection.unauthorized("unknown account"), c);
        }
        return StageResult.next(c.withAccount(account, rest));
    }
}
