package dev.bulwark.identity.workload;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayCacheTest {
    private final Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void aJtiIsAcceptedOncePerClientUntilItsAssertionExpires() {
        ReplayCache cache = new ReplayCache(10);
        assertThat(cache.record("client-a", "jti-1", now.plusSeconds(60), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("client-a", "jti-1", now.plusSeconds(60), now.plusSeconds(59))).isEqualTo(ReplayCache.Verdict.REPLAYED);
        assertThat(cache.record("client-b", "jti-1", now.plusSeconds(60), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("client-a", "jti-1", now.plusSeconds(120), now.plusSeconds(60))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    }

    @Test
    void oneClientsJtiCannotBurnAnotherClientsJti() {
        ReplayCache cache = new ReplayCache(10);
        assertThat(cache.record("ab", "c", now.plusSeconds(60), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("a", "bc", now.plusSeconds(60), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("a", "b\nc", now.plusSeconds(60), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
    }

    @Test
    void whenFullOfLiveEntriesItRefusesAndAfterTheyExpireItMakesRoom() {
        ReplayCache cache = new ReplayCache(2);
        assertThat(cache.record("c", "1", now.plusSeconds(10), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("c", "2", now.plusSeconds(20), now)).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.record("c", "3", now.plusSeconds(30), now)).isEqualTo(ReplayCache.Verdict.FULL);
        assertThat(cache.record("c", "1", now.plusSeconds(10), now.plusSeconds(5))).isEqualTo(ReplayCache.Verdict.REPLAYED);
        assertThat(cache.record("c", "3", now.plusSeconds(30), now.plusSeconds(10))).isEqualTo(ReplayCache.Verdict.FIRST_USE);
        assertThat(cache.size()).isEqualTo(2);
    }
}
