package dev.bulwark.identity.token;

/**
 * Every reason a token can be refused for, as it appears in the audit record. Fixed phrases only:
 * where a reason names a header parameter or a claim, the name comes from Bulwark's own list, never
 * from the token, so nothing an attacker sends is ever echoed.
 */
final class Reason {
    private Reason() {
    }

    // shape (checked before anything is decoded)
    static final String NO_TOKEN = "no token";
    static final String TOO_LARGE = "token too large";
    static final String MALFORMED = "malformed token";
    static final String ENCRYPTED = "encrypted token (JWE) not accepted";

    // header
    static final String MALFORMED_HEADER = "malformed token header";
    static final String DUPLICATE_HEADER = "duplicate header parameter";
    static final String UNEXPECTED_HEADER = "unexpected header parameter";
    static final String ALG_NONE = "unsigned token (alg none)";
    static final String ALG_NOT_ALLOWED = "algorithm not allowed";
    static final String BAD_TYP = "header typ is not JWT";
    static final String NO_KID = "no kid";
    static final String MALFORMED_KID = "malformed kid";
    static final String UNKNOWN_KID = "unknown signing key";
    static final String RETIRED_SIGNING_KEY = "signing key no longer trusted";

    static String forbiddenHeader(String knownName) {
        return "header parameter " + knownName + " not allowed";
    }

    // signature
    static final String NO_SIGNATURE = "missing signature";
    static final String BAD_SIGNATURE = "bad signature";

    // claims (only read once the signature is good)
    static final String MALFORMED_CLAIMS = "malformed claims";
    static final String DUPLICATE_CLAIM = "duplicate claim";
    static final String UNEXPECTED_CLAIM = "unexpected claim";
    static final String UNKNOWN_TYPE = "unknown token type";
    static final String WRONG_ISSUER = "wrong issuer";
    static final String WRONG_AUDIENCE = "wrong audience";
    static final String WRONG_SCOPE = "wrong scope";
    static final String LIFETIME_TOO_LONG = "lifetime longer than allowed";
    static final String INCONSISTENT_CLAIMS = "inconsistent claims";

    static String missingClaim(String knownName) {
        return "missing claim " + knownName;
    }

    static String invalidClaim(String knownName) {
        return "invalid claim " + knownName;
    }

    static String claimNotAllowed(String knownName, TokenKind kind) {
        return "claim " + knownName + " not allowed in " + kind.wireName() + " tokens";
    }

    // this request (re-checked on every presentation, cached or not)
    static final String EXPIRED = "token expired";
    static final String NOT_YET_VALID = "token not yet valid (nbf)";
    static final String ISSUED_IN_FUTURE = "token issued in the future (iat)";
    static final String OTHER_ACCOUNT = "token of another account";
    static final String ACCOUNT_TOKEN_OFF_ACCOUNT = "account-key token outside the data plane of its account";
    static final String KEY_REGENERATED = "the key that minted the token was regenerated";
    static final String NO_KEY_GENERATIONS = "no key generations to check against";
    static final String VERIFICATION_FAILED = "token verification failed";
}
