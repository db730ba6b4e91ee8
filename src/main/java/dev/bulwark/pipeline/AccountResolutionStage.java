package dev.bulwark.pipeline;

import dev.bulwark.snapshot.AccountView;

import java.util.Optional;

/**
 * Account resolution: {@code /accounts/<name>/...} or, with a base domain, the host
 * {@code <name>.<base-domain>}. An unknown account gets the same 401 as a wrong key, so callers
 * cannot enumerate account names.
 */
public final class AccountResolutionStage implements Stage {
    private static final String PREFIX = "/accounts/";
    private final String hostSuffix;

    public AccountResolutionStage(Optional<String> baseDomain) {
        this.hostSuffix = baseDomain.map(d -> "." + d).orElse(null);
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
        return StageResult.reject(Rejection.notFound(), c);
    }

    private static StageResult resolve(RequestContext c, String name, String rest) {
        AccountView account = c.snapshot().account(name);
        if (account == null) {
            return StageResult.reject(Rejection.unauthorized("unknown account"), c);
        }
        return StageResult.next(c.withAccount(account, rest));
    }
}
