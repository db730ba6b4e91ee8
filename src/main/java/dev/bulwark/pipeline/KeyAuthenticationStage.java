package dev.bulwark.pipeline;

import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.snapshot.DigestKey;
import dev.bulwark.snapshot.KeyBinding;

/**
 * Authentication by account key (run by {@link AuthenticationStage} when the request carries no
 * bearer token) ({@code Ocp-Apim-Subscription-Key} or {@code api-key}). Refuses,
 * in order: a repeated or contradictory key header, no key, keys turned off for the account
 * ({@code disableLocalAuth}), a key that fails the format checksum (no lookup), a key whose keyed
 * digest is unknown, and a key of another account. Every refusal is the same 401.
 */
public final class KeyAuthenticationStage implements Stage {
    static final String SUBSCRIPTION_KEY = "Ocp-Apim-Subscription-Key";
    static final String API_KEY = "api-key";

    private final KeyedDigest digest;

    public KeyAuthenticationStage(KeyedDigest digest) {
        this.digest = digest;
    }

    @Override
    public String name() {
        return "authentication";
    }

    @Override
    public StageResult apply(RequestContext c) {
        RequestHead h = c.head();
        String key = h.header(SUBSCRIPTION_KEY);
        String other = h.header(API_KEY);
        // Counting values allocates; only a header that is present can be repeated.
        if ((key != null && h.headerCount(SUBSCRIPTION_KEY) > 1) || (other != null && h.headerCount(API_KEY) > 1)) {
            return refuse(c, "repeated key header");
        }
        if (key == null) {
            key = other;
        } else if (other != null && !other.equals(key)) {
            return refuse(c, "conflicting key headers");
        }
        if (key == null || key.isEmpty()) {
            return refuse(c, "no key");
        }
        return check(c, key);
    }

    /**
     * The key rules for one presented key, whichever header carried it (OpenAI clients send it as
     * {@code Authorization: Bearer}).
     */
    StageResult check(RequestContext c, String key) {
        if (c.account().disableLocalAuth()) {
            return refuse(c, "key authentication is disabled for the account");
        }
        if (!AccountKeyFormat.isWellFormed(key)) {
            return refuse(c, "malformed key");
        }
        KeyBinding binding = c.snapshot().key(new DigestKey(digest.digestAscii(key)));
        if (binding == null) {
            return refuse(c, "unknown key");
        }
        if (!binding.account().equals(c.account().name())) {
            return refuse(c, "key of another account");
        }
        return StageResult.next(c.withPrincipal(binding.principal()));
    }

    private static StageResult refuse(RequestContext c, String reason) {
        return StageResult.reject(Rejection.unauthorized(reason), c);
    }
}
