package dev.bulwark.identity.token;

import dev.bulwark.identity.Principal;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cache's table on its own: capacity, replacement, and exact matching of digests. */
class VerifiedTokenTableTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static VerifiedToken token(String id, Instant acceptUntil) {
        return new VerifiedToken(TokenKind.WORKLOAD, new Principal.Workload(id, id), null, null, null, List.of("a"),
                NOW.minusSeconds(30), NOW.minusSeconds(30), acceptUntil, acceptUntil.minusSeconds(30), "kid");
    }

    private static byte[] digest(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes());
    }

    /** A digest that lands in bucket 0 of any table, distinct by {@code n}. */
    private static byte[] bucketZero(int n) {
        byte[] d = new byte[32];
        d[31] = (byte) n;
        d[7] = (byte) n;
        return d;
    }

    @Test
    void tenThousandLiveTokensAllStayCachedAtTheDefaultSize() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(TokenService.DEFAULT_CACHE_SLOTS);
        byte[][] digests = new byte[10_000][];
        for (int i = 0; i < digests.length; i++) {
            digests[i] = digest("token-" + i);
            cache.put(digests[i], token("t" + i, NOW.plusSeconds(600)), NOW);
        }
        int hits = 0;
        for (int i = 0; i < digests.length; i++) {
            VerifiedToken t = cache.get(digests[i]);
            if (t != null) {
                assertThat(t.principal()).isEqualTo(new Principal.Workload("t" + i, "t" + i));
                hits++;
            }
        }
        assertThat(hits).isGreaterThanOrEqualTo(9_990);
    }

    @Test
    void aFullBucketGivesUpTheTokenThatExpiresSoonest() {
        VerifiedTokenCache cache = new VerifiedTokenCache(VerifiedTokenCache.WAYS);
        for (int i = 0; i < VerifiedTokenCache.WAYS; i++) {
            cache.put(bucketZero(i), token("t" + i, NOW.plusSeconds(100 + (i == 3 ? 0 : 100 + i))), NOW);
        }
        cache.put(bucketZero(99), token("new", NOW.plusSeconds(600)), NOW);
        assertThat(cache.get(bucketZero(3))).isNull();
        assertThat(cache.get(bucketZero(99))).isNotNull();
        for (int i = 0; i < VerifiedTokenCache.WAYS; i++) {
            if (i != 3) {
                assertThat(cache.get(bucketZero(i))).isNotNull();
            }
        }
    }

    @Test
    void anExpiredEntryIsReplacedFirst() {
        VerifiedTokenCache cache = new VerifiedTokenCache(VerifiedTokenCache.WAYS);
        for (int i = 0; i < VerifiedTokenCache.WAYS; i++) {
            cache.put(bucketZero(i), token("t" + i, i == 5 ? NOW.plusSeconds(10) : NOW.plusSeconds(600)), NOW);
        }
        Instant later = NOW.plusSeconds(20);
        cache.put(bucketZero(99), token("new", later.plusSeconds(600)), later);
        assertThat(cache.get(bucketZero(5))).isNull();
        assertThat(cache.get(bucketZero(0))).isNotNull();
    }

    @Test
    void onlyTheWholeDigestMatches() {
        VerifiedTokenCache cache = new VerifiedTokenCache(64);
        byte[] d = bucketZero(1);
        cache.put(d, token("t", NOW.plusSeconds(600)), NOW);
        for (int i = 8; i < 32; i++) {
            byte[] near = d.clone();
            near[i] ^= 1;
            assertThat(cache.get(near)).isNull();
        }
        assertThat(cache.get(d.clone())).isNotNull();
    }

    @Test
    void sizeMustBeZeroOrAPowerOfTwo() {
        assertThatThrownBy(() -> new VerifiedTokenCache(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerifiedTokenCache(-1)).isInstanceOf(IllegalArgumentException.class);
        VerifiedTokenCache none = new VerifiedTokenCache(0);
        none.put(bucketZero(1), token("t", NOW.plusSeconds(600)), NOW);
        assertThat(none.get(bucketZero(1))).isNull();
    }
}
