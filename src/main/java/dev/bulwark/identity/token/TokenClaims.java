package dev.bulwark.identity.token;

import java.util.HashSet;
import java.util.Set;

/** The names of the claims in Bulwark's tokens. Which kind carries which is in {@link TokenKind}. */
final class TokenClaims {
    private TokenClaims() {
    }

    static final String ISS = "iss";
    static final String SUB = "sub";
    static final String AUD = "aud";
    static final String EXP = "exp";
    static final String NBF = "nbf";
    static final String IAT = "iat";
    static final String JTI = "jti";
    /** {@code account-key} or {@code workload} ({@link TokenKind}). */
    static final String TYPE = "bulwark-token-type";
    /** The public id of the account key that minted an account-key token (revocation on regeneration). */
    static final String KEY_ID = "bulwark-key-id";
    /** As Azure's tokens: {@code /accounts/<name>}. */
    static final String RESOURCE_ID = "azure-resource-id";
    static final String REGION = "region";
    static final String SCOPE = "scope";
    /** A workload identity's name, for audit records. */
    static final String NAME = "name";

    /** Every claim name Bulwark knows: safe to name in a refusal reason. */
    static final Set<String> KNOWN;

    static {
        Set<String> all = new HashSet<>();
        for (TokenKind k : TokenKind.values()) {
            all.addAll(k.claims());
        }
        KNOWN = Set.copyOf(all);
    }
}
