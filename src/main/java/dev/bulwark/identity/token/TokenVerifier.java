package dev.bulwark.identity.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.util.Base64URL;
import dev.bulwark.account.AccountName;
import dev.bulwark.account.KeyName;
import dev.bulwark.identity.Principal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
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
 * The request-independent checks of a compact JWS, in order, as explicit data: the header (only
 * {@code alg}, {@code kid}, {@code typ}; alg pinned to ES256; the key chosen by kid from Bulwark's
 * own keyset, never from the token), then the signature (Nimbus {@code ECDSAVerifier}, which refuses
 * malformed and all-zero signatures), then — only then — the claims (exactly the claim set of the
 * token's kind, issuer, audiences and lifetime consistent).
 *
 * <p>One JSON parser reads both header and claims, strictly: duplicate names, trailing data and
 * comments are refused. A token is never read by two parsers that might disagree on what it says.
 * Nimbus is used for the cryptography only, with a header Bulwark builds itself ({@link SigningKey#verifyHeader}).
 */
final class TokenVerifier {
    /** The one algorithm accepted: Bulwark signs with nothing else. */
    static final String ALGORITHM = "ES256";
    /** The only header parameters a Bulwark token has. Anything else is refused. */
    static final Set<String> ALLOWED_HEADER = Set.of("alg", "kid", "typ");
    /** Parameters that would widen trust or change processing; named in the refusal reason. */
    static final List<String> FORBIDDEN_HEADER = List.of("jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit",
            "b64", "zip", "enc", "cty", "epk", "p2s", "p2c", "iv", "tag", "url", "nonce");
    static final int MAX_KID = 64;
    static final int MAX_AUDIENCES = 8;
    static final int MAX_CLAIM_CHARS = 512;
    /** An ES256 signature: 64 bytes, 86 base64url characters without padding. */
    private static final int SIGNATURE_CHARS = 86;
    /** NumericDate bounds: after 2001 and before 2100 (rules out overflow games). */
    private static final long MIN_TIME = 1_000_000_000L;
    private static final long MAX_TIME = 4_102_444_800L;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    private final String issuer;
    private final String scope;

    TokenVerifier(String issuer, String scope) {
        this.issuer = issuer;
        this.scope = scope;
    }

    /** A refusal; carries one of the {@link Reason} phrases. No stack trace: it is control flow. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason, null, false, false);
        }

        String reason() {
            return getMessage();
        }
    }

    /**
     * @param token  the compact token, already checked for size, alphabet and exactly two dots
     * @param ascii  its characters as bytes (all ASCII by then)
     * @param dot1   index of the first dot
     * @param dot2   index of the second dot
     */
    VerifiedToken verify(String token, byte[] ascii, int dot1, int dot2, SigningKeyset keys, Instant now) throws Rejected {
        if (dot1 == 0) {
            throw new Rejected(Reason.MALFORMED);
        }
        // 1. header
        JsonNode header = parseObject(token, 0, dot1, Reason.MALFORMED_HEADER, Reason.DUPLICATE_HEADER);
        for (String forbidden : FORBIDDEN_HEADER) {
            if (header.has(forbidden)) {
                throw new Rejected(Reason.forbiddenHeader(forbidden));
            }
        }
        for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
            if (!ALLOWED_HEADER.contains(names.next())) {
                throw new Rejected(Reason.UNEXPECTED_HEADER);
            }
        }
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw new Rejected(Reason.MALFORMED_HEADER);
        }
        if (alg.textValue().strip().equalsIgnoreCase("none")) {
            throw new Rejected(Reason.ALG_NONE);
        }
        if (!ALGORITHM.equals(alg.textValue())) {
            throw new Rejected(Reason.ALG_NOT_ALLOWED);
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !(typ.isTextual() && "JWT".equals(typ.textValue()))) {
            throw new Rejected(Reason.BAD_TYP);
        }
        JsonNode kidNode = header.get("kid");
        if (kidNode == null) {
            throw new Rejected(Reason.NO_KID);
        }
        if (!kidNode.isTextual() || !isIdentifier(kidNode.textValue(), MAX_KID)) {
            throw new Rejected(Reason.MALFORMED_KID);
        }
        SigningKey key = keys.find(kidNode.textValue());
        if (key == null) {
            throw new Rejected(Reason.UNKNOWN_KID);
        }
        if (!key.trustedAt(now)) {
            throw new Rejected(Reason.RETIRED_SIGNING_KEY);
        }

        // 2. signature, over the exact bytes received
        int sigChars = token.length() - dot2 - 1;
        if (sigChars == 0) {
            throw new Rejected(Reason.NO_SIGNATURE);
        }
        if (sigChars != SIGNATURE_CHARS) {
            throw new Rejected(Reason.BAD_SIGNATURE);
        }
        try {
            if (!key.verifier().verify(key.verifyHeader(), Arrays.copyOf(ascii, dot2), new Base64URL(token.substring(dot2 + 1)))) {
                throw new Rejected(Reason.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            throw new Rejected(Reason.BAD_SIGNATURE);
        }

        // 3. claims
        JsonNode claims = parseObject(token, dot1 + 1, dot2, Reason.MALFORMED_CLAIMS, Reason.DUPLICATE_CLAIM);
        return claims(claims, key);
    }

    private VerifiedToken claims(JsonNode claims, SigningKey key) throws Rejected {
        JsonNode typeNode = claims.get(TYPE);
        if (typeNode == null) {
            throw new Rejected(Reason.missingClaim(TYPE));
        }
        TokenKind kind = typeNode.isTextual() ? TokenKind.fromWire(typeNode.textValue()) : null;
        if (kind == null) {
            throw new Rejected(Reason.UNKNOWN_TYPE);
        }
        for (Iterator<String> names = claims.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!kind.claims().contains(name)) {
                throw new Rejected(TokenClaims.KNOWN.contains(name) ? Reason.claimNotAllowed(name, kind) : Reason.UNEXPECTED_CLAIM);
            }
        }
        for (String required : kind.claims()) {
            if (!claims.has(required)) {
                throw new Rejected(Reason.missingClaim(required));
            }
        }
        if (!issuer.equals(text(claims, ISS))) {
            throw new Rejected(Reason.WRONG_ISSUER);
        }
        text(claims, JTI);
        List<String> audiences = audiences(claims);
        long exp = time(claims, EXP);
        long nbf = time(claims, NBF);
        long iat = time(claims, IAT);
        if (nbf > exp || iat > exp) {
            throw new Rejected(Reason.INCONSISTENT_CLAIMS);
        }
        if (exp - iat > TokenService.LIFETIME.toSeconds() || exp - nbf > TokenService.LIFETIME.toSeconds()) {
            throw new Rejected(Reason.LIFETIME_TOO_LONG);
        }
        long leeway = TokenService.LEEWAY.toSeconds();
        Instant acceptFrom = Instant.ofEpochSecond(nbf - leeway);
        Instant issuedFrom = Instant.ofEpochSecond(iat - leeway);
        Instant acceptUntil = Instant.ofEpochSecond(exp + leeway);
        Instant expiresAt = Instant.ofEpochSecond(exp);
        String sub = text(claims, SUB);

        if (kind == TokenKind.WORKLOAD) {
            String name = text(claims, NAME);
            return new VerifiedToken(kind, new Principal.Workload(sub, name), null, null, null, audiences,
                    acceptFrom, issuedFrom, acceptUntil, expiresAt, key.kid());
        }

        // An account-key token names its account three times (resource id, subject, audience) and
        // they must agree; the slot comes from the subject; the scope is the fixed one.
        String resourceId = text(claims, RESOURCE_ID);
        String account = resourceId.startsWith(TokenService.ACCOUNT_RESOURCE_PREFIX)
                ? resourceId.substring(TokenService.ACCOUNT_RESOURCE_PREFIX.length()) : null;
        if (account == null || !AccountName.isValid(account)) {
            throw new Rejected(Reason.invalidClaim(RESOURCE_ID));
        }
        KeyName slot = null;
        for (KeyName k : KeyName.values()) {
            if (sub.equals(TokenService.accountKeySubject(account, k))) {
                slot = k;
            }
        }
        if (slot == null) {
            throw new Rejected(Reason.INCONSISTENT_CLAIMS);
        }
        if (!audiences.contains(TokenService.COGNITIVE_SERVICES_AUDIENCE) || !audiences.contains(resourceId)) {
            throw new Rejected(Reason.WRONG_AUDIENCE);
        }
        if (!scope.equals(text(claims, SCOPE))) {
            throw new Rejected(Reason.WRONG_SCOPE);
        }
        text(claims, REGION);
        String keyId = text(claims, KEY_ID);
        if (!isIdentifier(keyId, MAX_KID)) {
            throw new Rejected(Reason.invalidClaim(KEY_ID));
        }
        return new VerifiedToken(kind, new Principal.AccountKey(account, slot), account, slot, keyId, audiences,
                acceptFrom, issuedFrom, acceptUntil, expiresAt, key.kid());
    }

    private static JsonNode parseObject(String token, int from, int to, String malformed, String duplicate) throws Rejected {
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(token.substring(from, to));
        } catch (IllegalArgumentException e) {
            throw new Rejected(malformed);
        }
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            String m = e.getMessage();
            throw new Rejected(m != null && m.startsWith("Duplicate field") ? duplicate : malformed);
        }
        if (node == null || !node.isObject()) {
            throw new Rejected(malformed);
        }
        return node;
    }

    /** A string claim, non-empty, of bounded length, without control characters. */
    private static String text(JsonNode claims, String name) throws Rejected {
        JsonNode n = claims.get(name);
        if (n == null || !n.isTextual() || !TokenService.isPrintable(n.textValue(), MAX_CLAIM_CHARS)) {
            throw new Rejected(Reason.invalidClaim(name));
        }
        return n.textValue();
    }

    /** A NumericDate in whole seconds, within sane bounds. */
    private static long time(JsonNode claims, String name) throws Rejected {
        JsonNode n = claims.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < MIN_TIME || n.longValue() > MAX_TIME) {
            throw new Rejected(Reason.invalidClaim(name));
        }
        return n.longValue();
    }

    /** {@code aud}: one string or an array of 1..8 strings. */
    private static List<String> audiences(JsonNode claims) throws Rejected {
        JsonNode n = claims.get(AUD);
        List<String> out = new ArrayList<>(2);
        if (n.isTextual()) {
            out.add(n.textValue());
        } else if (n.isArray() && !n.isEmpty() && n.size() <= MAX_AUDIENCES) {
            for (JsonNode a : n) {
                if (!a.isTextual()) {
                    throw new Rejected(Reason.invalidClaim(AUD));
                }
                out.add(a.textValue());
            }
        } else {
            throw new Rejected(Reason.invalidClaim(AUD));
        }
        for (String a : out) {
            if (!TokenService.isPrintable(a, MAX_CLAIM_CHARS)) {
                throw new Rejected(Reason.invalidClaim(AUD));
            }
        }
        return out;
    }

    /** 1..max characters of the base64url alphabet: what kids and key ids are. */
    static boolean isIdentifier(String s, int max) {
        if (s == null || s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
