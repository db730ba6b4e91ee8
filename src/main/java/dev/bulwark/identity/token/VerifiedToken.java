package dev.bulwark.identity.token;

import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;

import java.time.Instant;
import java.util.List;

/**
 * What a token says once its signature and its claims have been checked: everything that does not
 * depend on the moment or on the request. This is what the verification cache keeps; the checks
 * that do depend on them (expiry, nbf, the signing key still trusted, the account, the key still
 * current, the audience for this plane) are made on every presentation from these fields.
 *
 * @param kind        which kind of token
 * @param principal   who it speaks for, built once
 * @param account     the account it is bound to (account-key tokens), else null
 * @param slot        the key slot that minted it (account-key tokens), else null
 * @param keyId       the public id of the key that minted it (account-key tokens), else null
 * @param audiences   its {@code aud} values
 * @param acceptFrom  {@code nbf} minus the leeway: refused before
 * @param issuedFrom  {@code iat} minus the leeway: refused before (issued in the future)
 * @param acceptUntil {@code exp} plus the leeway: refused from then on
 * @param expiresAt   {@code exp} itself, reported to the caller
 * @param signingKid  the signing key that verified it
 */
record VerifiedToken(TokenKind kind, Principal principal, String account, KeyName slot, String keyId,
                     List<String> audiences, Instant acceptFrom, Instant issuedFrom, Instant acceptUntil,
                     Instant expiresAt, String signingKid) {

    VerifiedToken {
        audiences = List.copyOf(audiences);
    }

    boolean hasAudience(String value) {
        for (String a : audiences) {
            if (a.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code aud} holds {@code /accounts/<account>}, without building the string. */
    boolean hasAccountAudience(String account) {
        for (String a : audiences) {
            if (a.length() == TokenService.ACCOUNT_RESOURCE_PREFIX.length() + account.length()
                    && a.startsWith(TokenService.ACCOUNT_RESOURCE_PREFIX)
                    && a.regionMatches(TokenService.ACCOUNT_RESOURCE_PREFIX.length(), account, 0, account.length())) {
                return true;
            }
        }
        return false;
    }
}
