package dev.bulwark.service.openai;

import dev.bulwark.snapshot.DeploymentView;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaLimiterTest {
    /** Not at a round minute, so window arithmetic cannot accidentally line up with slot 0. */
    private static final long START = 1_700_000_017_250L;

    private final AtomicLong now = new AtomicLong(START);
    private final QuotaLimiter limiter = new QuotaLimiter(now::get);

    private static DeploymentView deployment(String account, String name, int rpm, int tpm) {
        return new DeploymentView(account, name, URI.create("http://10.0.0.5:8000/v1"), "m", null, null, 1000, 30000, rpm, tpm, false);
    }

    private void advanceSeconds(double s) {
        now.addAndGet((long) (s * 1000));
    }

    @Test
    void rpmAllowsExactlyTheLimitWithRemainingCountsGoingDown() {
        DeploymentView d = deployment("acme", "gpt", 5, 0);
        for (int i = 1; i <= 5; i++) {
            QuotaDecision q = limiter.acquire(d);
            assertThat(q.allowed()).as("request %d", i).isTrue();
            assertThat(q.remainingRequests()).isEqualTo(5 - i);
            assertThat(q.remainingTokens()).isEqualTo(-1);
            assertThat(q.exhausted()).isNull();
        }
        QuotaDecision refused = limiter.acquire(d);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo("requests");
        assertThat(refused.remainingRequests()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(60);
        // Refused requests are not counted: still refused, not more so.
        assertThat(limiter.acquire(d).allowed()).isFalse();
    }

    @Test
    void retryAfterIsTheTimeUntilTheOldestCountedRequestLeavesTheWindow() {
        DeploymentView d = deployment("acme", "gpt", 3, 0);
        assertThat(limiter.acquire(d).allowed()).isTrue(); // t = 0
        advanceSeconds(10);
        assertThat(limiter.acquire(d).allowed()).isTrue(); // t = 10
        advanceSeconds(15);
        assertThat(limiter.acquire(d).allowed()).isTrue(); // t = 25
        advanceSeconds(5); // t = 30
        QuotaDecision q = limiter.acquire(d);
        assertThat(q.allowed()).isFalse();
        assertThat(q.retryAfterSeconds()).isEqualTo(30);

        advanceSeconds(29); // t = 59: the first request is still in the window
        QuotaDecision stillRefused = limiter.acquire(d);
        assertThat(stillRefused.allowed()).isFalse();
        assertThat(stillRefused.retryAfterSeconds()).isEqualTo(1);

        advanceSeconds(1); // t = 60: exactly as promised
        QuotaDecision allowed = limiter.acquire(d);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.remainingRequests()).isZero();

        // Now the oldest counted is the one at t = 10: 10 s more.
        QuotaDecision next = limiter.acquire(d);
        assertThat(next.allowed()).isFalse();
        assertThat(next.retryAfterSeconds()).isEqualTo(10);
        advanceSeconds(10);
        assertThat(limiter.acquire(d).allowed()).isTrue();
    }

    @Test
    void retryAfterWaitsForEnoughRequestsToLeave() {
        DeploymentView d = deployment("acme", "gpt", 4, 0);
        limiter.acquire(d);
        limiter.acquire(d); // two at t = 0
        advanceSeconds(20);
        limiter.acquire(d);
        limiter.acquire(d); // two at t = 20
        advanceSeconds(1);
        QuotaDecision q = limiter.acquire(d);
        assertThat(q.retryAfterSeconds()).isEqualTo(39);
    }

    @Test
    void fullRecoveryAfterTheWindowPasses() {
        DeploymentView d = deployment("acme", "gpt", 2, 0);
        limiter.acquire(d);
        limiter.acquire(d);
        assertThat(limiter.acquire(d).allowed()).isFalse();
        advanceSeconds(61);
        QuotaDecision q = limiter.acquire(d);
        assertThat(q.allowed()).isTrue();
        assertThat(q.remainingRequests()).isEqualTo(1);
        // Long idle (many windows later, slots reused): a fresh window.
        advanceSeconds(3600 * 24);
        assertThat(limiter.acquire(d).remainingRequests()).isEqualTo(1);
        assertThat(limiter.acquire(d).remainingRequests()).isZero();
        assertThat(limiter.acquire(d).allowed()).isFalse();
    }

    @Test
    void subSecondTimingWithinASecondCountsTogether() {
        DeploymentView d = deployment("acme", "gpt", 1, 0);
        now.set(1_700_000_000_999L);
        assertThat(limiter.acquire(d).allowed()).isTrue();
        now.set(1_700_000_059_999L);
        assertThat(limiter.acquire(d).allowed()).isFalse();
        now.set(1_700_000_060_000L);
        assertThat(limiter.acquire(d).allowed()).isTrue();
    }

    @Test
    void tokensAreChargedAfterAnswersAndRefuseOnceTheLimitIsReached() {
        DeploymentView d = deployment("acme", "gpt", 0, 1000);
        QuotaDecision first = limiter.acquire(d);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remainingTokens()).isEqualTo(1000);
        assertThat(first.remainingRequests()).isEqualTo(-1);
        limiter.charge(d, 600);

        advanceSeconds(5);
        QuotaDecision second = limiter.acquire(d);
        assertThat(second.allowed()).isTrue();
        assertThat(second.remainingTokens()).isEqualTo(400);
        limiter.charge(d, 399);

        advanceSeconds(5);
        QuotaDecision third = limiter.acquire(d);
        assertThat(third.allowed()).isTrue();
        assertThat(third.remainingTokens()).isEqualTo(1);
        limiter.charge(d, 1); // exactly at the limit (t = 10)

        advanceSeconds(5); // t = 15
        QuotaDecision refused = limiter.acquire(d);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.exhausted()).isEqualTo("tokens");
        assertThat(refused.remainingTokens()).isZero();
        // One token must leave: the 600 charged at t = 0 leave at t = 60.
        assertThat(refused.retryAfterSeconds()).isEqualTo(45);

        advanceSeconds(44); // t = 59
        assertThat(limiter.acquire(d).allowed()).isFalse();
        advanceSeconds(1); // t = 60
        QuotaDecision recovered = limiter.acquire(d);
        assertThat(recovered.allowed()).isTrue();
        assertThat(recovered.remainingTokens()).isEqualTo(600);
    }

    @Test
    void aLargeAnswerCanCrossTheLimitAndRefusesUntilEnoughTokensLeave() {
        DeploymentView d = deployment("acme", "gpt", 0, 100);
        limiter.acquire(d);
        limiter.charge(d, 30); // t = 0
        advanceSeconds(10);
        limiter.acquire(d);
        limiter.charge(d, 500); // t = 10: crosses the limit
        advanceSeconds(1); // t = 11
        QuotaDecision q = limiter.acquire(d);
        assertThat(q.allowed()).isFalse();
        // 430 over the limit (+1): the 30 leaving at t = 60 are not enough; the 500 leave at t = 70.
        assertThat(q.retryAfterSeconds()).isEqualTo(59);
        advanceSeconds(49); // t = 60
        assertThat(limiter.acquire(d).allowed()).isFalse();
        advanceSeconds(10); // t = 70
        assertThat(limiter.acquire(d).allowed()).isTrue();
    }

    @Test
    void bothLimitsReportBothRemainders() {
        DeploymentView d = deployment("acme", "gpt", 3, 100);
        QuotaDecision a = limiter.acquire(d);
        assertThat(a.remainingRequests()).isEqualTo(2);
        assertThat(a.remainingTokens()).isEqualTo(100);
        limiter.charge(d, 100);
        QuotaDecision tokensOut = limiter.acquire(d);
        assertThat(tokensOut.allowed()).isFalse();
        assertThat(tokensOut.exhausted()).isEqualTo("tokens");
        assertThat(tokensOut.remainingRequests()).isEqualTo(2);
        assertThat(tokensOut.remainingTokens()).isZero();
        assertThat(tokensOut.retryAfterSeconds()).isBetween(1L, 60L);
    }

    @Test
    void requestLimitRefusalReportsTokensLeft() {
        DeploymentView d = deployment("acme", "gpt", 1, 100);
        limiter.acquire(d);
        limiter.charge(d, 40);
        QuotaDecision q = limiter.acquire(d);
        assertThat(q.allowed()).isFalse();
        assertThat(q.exhausted()).isEqualTo("requests");
        assertThat(q.remainingTokens()).isEqualTo(60);
        assertThat(q.remainingRequests()).isZero();
    }

    @Test
    void chargingWithoutATokenLimitOrWithNothingDoesNothing() {
        DeploymentView rpmOnly = deployment("acme", "gpt", 2, 0);
        limiter.charge(rpmOnly, 1_000_000);
        assertThat(limiter.acquire(rpmOnly).remainingRequests()).isEqualTo(1);
        DeploymentView tpm = deployment("acme", "tpm", 0, 10);
        limiter.charge(tpm, 0);
        limiter.charge(tpm, -50); // never a credit
        assertThat(limiter.acquire(tpm).remainingTokens()).isEqualTo(10);
    }

    @Test
    void unlimitedIsAlwaysAllowed() {
        DeploymentView d = deployment("acme", "free", 0, 0);
        for (int i = 0; i < 10_000; i++) {
            QuotaDecision q = limiter.acquire(d);
            assertThat(q.allowed()).isTrue();
            assertThat(q.remainingRequests()).isEqualTo(-1);
            assertThat(q.remainingTokens()).isEqualTo(-1);
            limiter.charge(d, 1_000_000);
        }
    }

    @Test
    void deploymentsDoNotShareCounts() {
        DeploymentView a = deployment("acme", "gpt", 1, 0);
        DeploymentView b = deployment("acme", "gpt-mini", 1, 0);
        DeploymentView otherAccount = deployment("globex", "gpt", 1, 0);
        assertThat(limiter.acquire(a).allowed()).isTrue();
        assertThat(limiter.acquire(a).allowed()).isFalse();
        assertThat(limiter.acquire(b).allowed()).isTrue();
        assertThat(limiter.acquire(otherAccount).allowed()).isTrue();
        assertThat(limiter.acquire(b).allowed()).isFalse();

        DeploymentView ta = deployment("acme", "t1", 0, 10);
        DeploymentView tb = deployment("acme", "t2", 0, 10);
        limiter.acquire(ta);
        limiter.charge(ta, 10);
        assertThat(limiter.acquire(ta).allowed()).isFalse();
        assertThat(limiter.acquire(tb).allowed()).isTrue();
        assertThat(limiter.acquire(tb).remainingTokens()).isEqualTo(10);
    }

    @Test
    void namesThatWouldCollideWhenJoinedStaySeparate() {
        // "a/b" + "c" and "a" + "b/c" are different deployments.
        DeploymentView x = deployment("a/b", "c", 1, 0);
        DeploymentView y = deployment("a", "b/c", 1, 0);
        assertThat(limiter.acquire(x).allowed()).isTrue();
        assertThat(limiter.acquire(y).allowed()).isTrue();
    }

    @Test
    void aChangedLimitAppliesToTheSameWindow() {
        DeploymentView small = deployment("acme", "gpt", 2, 0);
        limiter.acquire(small);
        limiter.acquire(small);
        assertThat(limiter.acquire(small).allowed()).isFalse();
        DeploymentView bigger = deployment("acme", "gpt", 3, 0);
        QuotaDecision q = limiter.acquire(bigger);
        assertThat(q.allowed()).isTrue();
        assertThat(q.remainingRequests()).isZero();
    }

    @Test
    void concurrentAcquiresNeverExceedTheLimit() throws Exception {
        DeploymentView d = deployment("acme", "gpt", 1000, 0);
        int threads = 8;
        int perThread = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    go.await();
                    int allowed = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (limiter.acquire(d).allowed()) {
                            allowed++;
                        }
                    }
                    return allowed;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(1000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentAcquiresOnNewDeploymentsShareOneWindow() throws Exception {
        // First use of a deployment from many threads at once: one window, not one per thread.
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                DeploymentView d = deployment("acct" + round, "dep", 10, 0);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        int allowed = 0;
                        for (int i = 0; i < 5; i++) {
                            allowed += limiter.acquire(d).allowed() ? 1 : 0;
                        }
                        return allowed;
                    }));
                }
                go.countDown();
                int total = 0;
                for (Future<Integer> f : results) {
                    total += f.get(60, TimeUnit.SECONDS);
                }
                assertThat(total).as("round %d", round).isEqualTo(10);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
