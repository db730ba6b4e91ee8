package dev.bulwark.identity.token;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.bulwark.account.AccountName;
import dev.bulwark.account.KeyName;
import dev.bulwark.crypto.CryptoException;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bulwark's own tokens: minting (token exchange for an account key, and workload identities) and
 * verification of a presented {@code Authorization: Bearer} token.
 *
 * <p><b>Keys.</b> ES256 on P-256, in a keyset of the Tink model ({@link SigningKeyStore}): one primary
 * signs, retired keys only verify, and each is dropped once no token it signed can still be
 * accepted. The keyset is an immutable value swapped atomically on rotation: signing and
 * verification read it once, without locks, and run concurrently with a rotation.
 *
 * <p><b>Verification</b> is explicit data (see {@link TokenVerifier} for the request-independent
 * part): alg pinned to ES256, kid a bounded map lookup in Bulwark's keyset, {@code jwk}/{@code jku}/
 * {@code x5u}/{@code x5c}/{@code x5t}/{@code crit} and any other header refused, the claim set of
 * each kind exact, issuer exact, expiry required and checked against the injected clock with a
 * {@link #LEEWAY} of 30 s, {@code nbf} and {@code iat} honoured, tokens over {@link #MAX_TOKEN_CHARS}
 * refused before anything is decoded. Then, on every presentation ({@code admit}): still in time,
 * signing key still trusted, and by kind:
 * <ul>
 *   <li>an <b>account-key token</b> is accepted only on the data plane of its own account, and only
 *       while the key that minted it is still that slot's current key ({@link KeyGenerations}). It
 *       is refused on the management plane ({@code expectedAccount} null): a key grants no
 *       management action, and neither does a token exchanged for one.</li>
 *   <li>a <b>workload token</b> is never an account key: its principal is {@code Principal.Workload},
 *       it has no key generation, and what it may do is decided by role assignments. It is accepted
 *       where its audience is: on the data plane, {@link #COGNITIVE_SERVICES_AUDIENCE} (or another
 *       configured data audience) or the account's own {@code /accounts/<name>}; on the management
 *       plane, {@link #MANAGEMENT_AUDIENCE} (or another configured management audience). So a token
 *       asked for the data plane does not work on the management plane, nor one asked for one
 *       account on another.</li>
 * </ul>
 * The kinds cannot be confused: the kind is a signed claim, and each kind's claim set is exact, so a
 * workload token with an account's claims (or the reverse) is refused outright.
 *
 * <p><b>Cache.</b> Verified tokens are cached by digest ({@link VerifiedTokenCache}); a hit skips the
 * signature and claim parsing and still runs every check of {@code admit}.
 */
public final class TokenService {
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Clock leeway for exp, nbf and iat (at most 60 s by policy). */
    public static final Duration LEEWAY = Duration.ofSeconds(30);
    /** Longer presented tokens are refused before anything is decoded. Ours are about 700 characters. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;
    /** The refusal reason for a token whose kid is not one of Bulwark's: another issuer's token may still be valid. */
    public static final String UNKNOWN_SIGNING_KEY = Reason.UNKNOWN_KID;
    public static final String COGNITIVE_SERVICES_AUDIENCE = "https://cognitiveservices.azure.com";
    public static final String COGNITIVE_SERVICES_SCOPE = COGNITIVE_SERVICES_AUDIENCE + "/.default";
    /** The default audience of workload tokens accepted on the management plane. */
    public static final String MANAGEMENT_AUDIENCE = "https://management.azure.com";
    /** The audience of workload tokens accepted by the built-in vault (Azure Key Vault's resource). */
    public static final String VAULT_AUDIENCE = "https://vault.azure.net";
    /** Verified tokens remembered: a power of two, in 8-way buckets; sized for about 10,000 live tokens. */
    public static final int DEFAULT_CACHE_SLOTS = 32_768;
    static final String ACCOUNT_RESOURCE_PREFIX = "/accounts/";
    private static final int MAX_INPUT_CHARS = 256;

    /**
     * What may be tuned, validated at construction.
     *
     * @param workloadDataAudiences       audiences that make a workload token good on any account's data
     *                                    plane (besides the account's own {@code /accounts/<name>})
     * @param workloadManagementAudiences audiences that make a workload token good on the management plane
     * @param cacheSlots                  verified-token cache size: a power of two, or 0 for none
     */
    public record Options(Set<String> workloadDataAudiences, Set<String> workloadManagementAudiences, int cacheSlots) {
        public Options {
            workloadDataAudiences = Set.copyOf(workloadDataAudiences);
            workloadManagementAudiences = Set.copyOf(workloadManagementAudiences);
            if (workloadDataAudiences.isEmpty() || workloadManagementAudiences.isEmpty()) {
                throw new IllegalArgumentException("the data-plane and management-plane audience lists must not be empty");
            }
            for (String a : workloadDataAudiences) {
                if (workloadManagementAudiences.contains(a) || a.startsWith(ACCOUNT_RESOURCE_PREFIX)) {
                    throw new IllegalArgumentException("audience " + a + " cannot be a data-plane audience: "
                            + "it is a management audience or an account's own");
                }
            }
            if (cacheSlots < 0 || Integer.bitCount(cacheSlots) > 1) {
                throw new IllegalArgumentException("cacheSlots must be 0 or a power of two, got " + cacheSlots);
            }
        }

        public static Options defaults() {
            return new Options(Set.of(COGNITIVE_SERVICES_AUDIENCE), Set.of(MANAGEMENT_AUDIENCE), DEFAULT_CACHE_SLOTS);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One SHA-256 per thread: MessageDigest is not thread-safe, and getInstance per call costs more than the digest. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(TokenService::newSha256);
    /** The base64url alphabet, by ASCII code. */
    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            BASE64URL[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            BASE64URL[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            BASE64URL[c] = true;
        }
        BASE64URL['-'] = true;
        BASE64URL['_'] = true;
    }

    private final SigningKeyStore store;
    private final Clock clock;
    private final String issuer;
    private final Options options;
    private final TokenVerifier verifier;
    private final VerifiedTokenCache cache;
    private final SecureRandom random = new SecureRandom();
    private final Object rotation = new Object();
    private final LongAdder fullVerifications = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private volatile SigningKeyset keyset;

    public TokenService(Database db, MasterKey master, ObjectCipher cipher, Clock clock, String issuer) {
        this(db, master, cipher, clock, issuer, Options.defaults());
    }

    /**
     * Loads the signing keyset (generating the first key on first use). Blocking: database.
     *
     * @param cipher  seals the signing keys (service key only)
     * @param master  still opens the rows sealed before the keyring, which the load re-seals
     */
    public TokenService(Database db, MasterKey master, ObjectCipher cipher, Clock clock, String issuer, Options options) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        if (issuer == null || !issuer.startsWith("https://") || !isPrintable(issuer, MAX_INPUT_CHARS)) {
            throw new IllegalArgumentException("the token issuer must be an https URL");
        }
        this.issuer = issuer;
        this.store = new SigningKeyStore(db, Objects.requireNonNull(cipher, "cipher"), master);
        this.verifier = new TokenVerifier(issuer, COGNITIVE_SERVICES_SCOPE);
        this.cache = new VerifiedTokenCache(options.cacheSlots());
        this.keyset = SigningKeyset.of(store.loadOrCreate(clock.instant()));
    }

    public String issuer() {
        return issuer;
    }

    // ---------------------------------------------------------------------------------- issuing

    /**
     * A token for an account key: claims iss, aud [{@value #COGNITIVE_SERVICES_AUDIENCE}, the account's
     * resource id], sub {@code key:<account>/Key1}, azure-resource-id, region, scope, iat, nbf, exp,
     * jti, {@code bulwark-token-type: account-key} and {@code bulwark-key-id} (the key that minted it).
     */
    public String issueForAccountKey(String account, String region, KeyName slot, String keyId) {
        if (!AccountName.isValid(account)) {
            throw new IllegalArgumentException("not an account name");
        }
        Objects.requireNonNull(slot, "slot");
        requirePrintable(region, "region");
        if (!TokenVerifier.isIdentifier(keyId, TokenVerifier.MAX_KID)) {
            throw new IllegalArgumentException("keyId must be 1-" + TokenVerifier.MAX_KID + " base64url characters");
        }
        String resourceId = ACCOUNT_RESOURCE_PREFIX + account;
        ObjectNode claims = JSON.createObjectNode();
        claims.put(TokenClaims.ISS, issuer);
        claims.putArray(TokenClaims.AUD).add(COGNITIVE_SERVICES_AUDIENCE).add(resourceId);
        claims.put(TokenClaims.SUB, accountKeySubject(account, slot));
        claims.put(TokenClaims.RESOURCE_ID, resourceId);
        claims.put(TokenClaims.REGION, region);
        claims.put(TokenClaims.SCOPE, COGNITIVE_SERVICES_SCOPE);
        claims.put(TokenClaims.TYPE, TokenKind.ACCOUNT_KEY.wireName());
        claims.put(TokenClaims.KEY_ID, keyId);
        return sign(claims);
    }

    /**
     * A token for a workload identity: sub the identity id, aud the requested audience,
     * {@code bulwark-token-type: workload}, {@code name} the identity's name, and the time claims.
     */
    public String issueForWorkload(String identityId, String name, String audience) {
        requirePrintable(identityId, "identityId");
        requirePrintable(name, "name");
        requirePrintable(audience, "audience");
        ObjectNode claims = JSON.createObjectNode();
        claims.put(TokenClaims.ISS, issuer);
        claims.put(TokenClaims.AUD, audience);
        claims.put(TokenClaims.SUB, identityId);
        claims.put(TokenClaims.TYPE, TokenKind.WORKLOAD.wireName());
        claims.put(TokenClaims.NAME, name);
        return sign(claims);
    }

    private String sign(ObjectNode claims) {
        // Clock first, keyset second: a token signed by a key that is retired meanwhile then has
        // iat <= the retirement time, so it expires before the retired key stops being trusted.
        long now = clock.instant().getEpochSecond();
        SigningKey key = keyset.primary();
        claims.put(TokenClaims.IAT, now);
        claims.put(TokenClaims.NBF, now);
        claims.put(TokenClaims.EXP, now + LIFETIME.toSeconds());
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        claims.put(TokenClaims.JTI, Base64.getUrlEncoder().withoutPadding().encodeToString(jti));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).type(JOSEObjectType.JWT).build();
        try {
            JWSObject jws = new JWSObject(header, new Payload(JSON.writeValueAsBytes(claims)));
            jws.sign(key.signer());
            return jws.serialize();
        } catch (JOSEException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CryptoException("cannot sign a token", e);
        }
    }

    static String accountKeySubject(String account, KeyName slot) {
        return "key:" + account + "/" + slot.armName();
    }

    // ---------------------------------------------------------------------------------- verifying

    /**
     * Verifies a compact JWS presented as a bearer token. Never throws for bad input: every refusal
     * (and any unexpected failure) is an {@link TokenVerdict.Invalid} with a short reason.
     *
     * @param expectedAccount the account the request is for; null on the management plane
     * @param keys            whether an account key is still current (account-key tokens)
     */
    public TokenVerdict verify(String token, String expectedAccount, KeyGenerations keys) {
        try {
            return check(token, expectedAccount, keys, null);
        } catch (RuntimeException e) {
            return new TokenVerdict.Invalid(Reason.VERIFICATION_FAILED);
        }
    }

    /**
     * Verifies a workload token for a service of no account (the vault): it must carry one of
     * {@code audiences}. Tokens exchanged for an account key are refused (they belong to their account).
     */
    public TokenVerdict verifyWorkload(String token, Set<String> audiences) {
        try {
            return check(token, null, null, Set.copyOf(audiences));
        } catch (RuntimeException e) {
            return new TokenVerdict.Invalid(Reason.VERIFICATION_FAILED);
        }
    }

    private TokenVerdict check(String token, String expectedAccount, KeyGenerations keys, Set<String> audiences) {
        if (token == null || token.isEmpty()) {
            return invalid(Reason.NO_TOKEN);
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return invalid(Reason.TOO_LARGE);
        }
        Instant now = clock.instant();
        SigningKeyset ks = keyset;
        // The cache is looked up first, by the SHA-256 of the token's UTF-8 bytes, so a token already
        // seen costs one digest. Equal bytes mean an equal token: UTF-8 is injective, except that a
        // lone surrogate becomes '?', which no cached token (base64url and dots only) contains. A
        // cached token was fully shape-checked when it got in; a token that is not in gets every check.
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha256 = SHA256.get();
        byte[] digest = sha256.digest(bytes);
        VerifiedToken t = cache.get(digest);
        if (t != null) {
            cacheHits.increment();
        } else {
            fullVerifications.increment();
            // Shape: only base64url characters and dots (any non-ASCII character is a byte >= 0x80).
            int dots = 0;
            int dot1 = -1;
            int dot2 = -1;
            for (int i = 0; i < bytes.length; i++) {
                byte b = bytes[i];
                if (b == '.') {
                    if (++dots == 1) {
                        dot1 = i;
                    } else if (dots == 2) {
                        dot2 = i;
                    }
                } else if (b < 0 || !BASE64URL[b]) {
                    return invalid(Reason.MALFORMED);
                }
            }
            if (dots == 4) {
                return invalid(Reason.ENCRYPTED);
            }
            if (dots != 2) {
                return invalid(Reason.MALFORMED);
            }
            try {
                t = verifier.verify(token, bytes, dot1, dot2, ks, now);
            } catch (TokenVerifier.Rejected r) {
                return invalid(r.reason());
            }
            if (now.isBefore(t.acceptUntil())) {
                cache.put(digest, t, now);
            }
        }
        return admit(t, now, ks, expectedAccount, keys, audiences);
    }

    /** The checks that depend on the moment and the request, made on every presentation, cached or not. */
    private TokenVerdict admit(VerifiedToken t, Instant now, SigningKeyset ks, String expectedAccount, KeyGenerations keys,
                               Set<String> audiences) {
        SigningKey key = ks.find(t.signingKid());
        if (key == null) {
            return invalid(Reason.UNKNOWN_KID);
        }
        if (!key.trustedAt(now)) {
            return invalid(Reason.RETIRED_SIGNING_KEY);
        }
        if (!now.isBefore(t.acceptUntil())) {
            return invalid(Reason.EXPIRED);
        }
        if (now.isBefore(t.acceptFrom())) {
            return invalid(Reason.NOT_YET_VALID);
        }
        if (now.isBefore(t.issuedFrom())) {
            return invalid(Reason.ISSUED_IN_FUTURE);
        }
        switch (t.kind()) {
            case ACCOUNT_KEY -> {
                if (expectedAccount == null) {
                    return invalid(Reason.ACCOUNT_TOKEN_OFF_ACCOUNT);
                }
                if (!t.account().equals(expectedAccount)) {
                    return invalid(Reason.OTHER_ACCOUNT);
                }
                if (keys == null) {
                    return invalid(Reason.NO_KEY_GENERATIONS);
                }
                if (!keys.isCurrent(t.account(), t.slot(), t.keyId())) {
                    return invalid(Reason.KEY_REGENERATED);
                }
            }
            case WORKLOAD -> {
                if (audiences != null ? t.audiences().stream().noneMatch(audiences::contains) : !workloadAudienceFits(t, expectedAccount)) {
                    return invalid(Reason.WRONG_AUDIENCE);
                }
            }
        }
        return new TokenVerdict.Valid(t.principal(), t.expiresAt());
    }

    private boolean workloadAudienceFits(VerifiedToken t, String expectedAccount) {
        Set<String> accepted = expectedAccount == null ? options.workloadManagementAudiences() : options.workloadDataAudiences();
        for (String a : t.audiences()) {
            if (accepted.contains(a)) {
                return true;
            }
        }
        return expectedAccount != null && t.hasAccountAudience(expectedAccount);
    }

    private static TokenVerdict invalid(String reason) {
        return new TokenVerdict.Invalid(reason);
    }

    // ---------------------------------------------------------------------------------- keys

    /** {@code {"keys":[...]}}: the public JWK (kid, use sig, alg ES256) of every key that can still verify. */
    public String jwksJson() {
        Instant now = clock.instant();
        List<JWK> keys = new ArrayList<>();
        for (SigningKey k : keyset.keys()) {
            if (k.trustedAt(now)) {
                keys.add(k.publicJwk());
            }
        }
        keys.sort((a, b) -> a.getKeyID().compareTo(b.getKeyID()));
        return new JWKSet(keys).toString(true);
    }

    /**
     * A new primary signs from now on; the old one becomes verify-only (its private key erased) and is
     * deleted once no token it signed can be unexpired ({@link #LIFETIME} + {@link #LEEWAY} after).
     * Blocking: database. Concurrent signing and verification carry on with the keyset they read.
     */
    public void rotateSigningKey() {
        synchronized (rotation) {
            keyset = SigningKeyset.of(store.rotate(clock.instant()));
        }
    }

    /** Rotates when the primary is at least {@code maxAge} old; for a periodic task. Blocking. */
    public boolean rotateSigningKeyIfOlderThan(Duration maxAge) {
        synchronized (rotation) {
            if (keyset.primary().createdAt().plus(maxAge).isAfter(clock.instant())) {
                return false;
            }
            rotateSigningKey();
            return true;
        }
    }

    /**
     * Deletes retired keys that no unexpired token can need. Verification already ignores them
     * from that moment, so this only tidies the database; rotation does it too. Blocking.
     */
    public void pruneRetiredKeys() {
        synchronized (rotation) {
            keyset = SigningKeyset.of(store.prune(clock.instant()));
        }
    }

    /**
     * Re-reads the keyset from the database (for a second node that learns of a rotation made
     * elsewhere; a single node never needs it: rotation swaps the keyset itself). Blocking.
     */
    public void reload() {
        synchronized (rotation) {
            keyset = SigningKeyset.of(store.loadOrCreate(clock.instant()));
        }
    }

    /** Presented tokens that went through signature verification (not found in the cache); for metrics. */
    public long fullVerifications() {
        return fullVerifications.sum();
    }

    /** Presented tokens found in the verified-token cache; for metrics. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /** The kid of the key that signs new tokens (for logs and the management API). */
    public String primaryKeyId() {
        return keyset.primary().kid();
    }

    // ---------------------------------------------------------------------------------- helpers

    static boolean isPrintable(String s, int max) {
        if (s == null || s.isEmpty() || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                return false;
            }
        }
        return true;
    }

    private static void requirePrintable(String s, String what) {
        if (!isPrintable(s, MAX_INPUT_CHARS)) {
            throw new IllegalArgumentException(what + " must be 1-" + MAX_INPUT_CHARS + " characters without control characters");
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "TokenService[" + issuer + ", primary " + keyset.primary().kid() + "]";
    }
}
