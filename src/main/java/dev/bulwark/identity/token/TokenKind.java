package dev.bulwark.identity.token;

import java.util.Set;

import static dev.bulwark.identity.token.TokenClaims.AUD;
import static dev.bulwark.identity.token.TokenClaims.EXP;
import static dev.bulwark.identity.token.TokenClaims.IAT;
import static dev.bulwark.identity.token.TokenClaims.ISS;
import static dev.bulwark.identity.token.TokenClaims.JTI;
import static dev.bulwark.identity.token.TokenClaims.KEY_ID;
import static dev.bulwark.identity.token.TokenClaims.NAME;
import static dev.bulwark.identity.token.TokenClaims.NBF;
import static dev.bulwark.identity.token.TokenClaims.REGION;
import static dev.bulwark.identity.token.TokenClaims.RESOURCE_ID;
import static dev.bulwark.identity.token.TokenClaims.SCOPE;
import static dev.bulwark.identity.token.TokenClaims.SUB;
import static dev.bulwark.identity.token.TokenClaims.TYPE;

/**
 * The two kinds of token Bulwark mints, told apart by the signed {@code bulwark-token-type} claim,
 * each with its claim set as data: every claim listed is required, every claim not listed is
 * refused. So a token can never be read as the other kind (a workload token carrying an account's
 * {@code bulwark-key-id}, say, is refused rather than half-understood).
 */
enum TokenKind {
    /** Exchanged for an account key at {@code /sts/v1.0/issueToken}: that key's rights, on that account only. */
    ACCOUNT_KEY("account-key", Set.of(ISS, SUB, AUD, EXP, NBF, IAT, JTI, TYPE, KEY_ID, RESOURCE_ID, REGION, SCOPE)),
    /** Issued to a workload identity for an audience: whatever its role assignments grant. */
    WORKLOAD("workload", Set.of(ISS, SUB, AUD, EXP, NBF, IAT, JTI, TYPE, NAME));

    private final String wireName;
    private final Set<String> claims;

    TokenKind(String wireName, Set<String> claims) {
        this.wireName = wireName;
        this.claims = claims;
    }

    String wireName() {
        return wireName;
    }

    /** Required and allowed at once: exactly these claims, no more, no fewer. */
    Set<String> claims() {
        return claims;
    }

    static TokenKind fromWire(String s) {
        for (TokenKind k : values()) {
            if (k.wireName.equals(s)) {
                return k;
            }
        }
        return null;
    }
}
