package dev.bulwark.server;

import dev.bulwark.identity.token.TokenService;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which resource the vault's challenge names, and which token audiences it accepts. Azure's
 * {@code https://vault.azure.net} always; with a base domain also {@code https://vault.<base domain>},
 * named in the challenge to requests for {@code <name>.vault.<base domain>}: the Key Vault SDKs accept
 * a challenge only when the vault's host ends with {@code "." + the resource's host}, so such a vault
 * URL works with no client change at all.
 */
final class VaultAudiences {
    private final Optional<String> ownHostSuffix;
    private final Optional<String> ownResource;

    VaultAudiences(Optional<String> baseDomain) {
        this.ownResource = baseDomain.map(d -> "https://vault." + d);
        this.ownHostSuffix = baseDomain.map(d -> ".vault." + d);
    }

    Set<String> all() {
        return ownResource.map(r -> Set.of(TokenService.VAULT_AUDIENCE, r)).orElse(Set.of(TokenService.VAULT_AUDIENCE));
    }

    /** The challenge's resource for a request's Host header (port ignored). */
    String resourceFor(String hostHeader) {
        if (ownHostSuffix.isPresent() && hostHeader != null) {
            String host = hostHeader.toLowerCase(Locale.ROOT);
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(']') < colon) {
                host = host.substring(0, colon);
            }
            if (host.endsWith(ownHostSuffix.get()) && host.length() > ownHostSuffix.get().length()) {
                return ownResource.get();
            }
        }
        return TokenService.VAULT_AUDIENCE;
    }
}
