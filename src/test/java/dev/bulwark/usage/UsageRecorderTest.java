package dev.bulwark.usage;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class UsageRecorderTest {

    private static List<UsageCell> cells(UsageRecorder r) {
        List<UsageCell> out = new ArrayList<>();
        r.forEachCell(out::add);
        return out;
    }

    @Test
    void aRequestCountsOnceEvenWithoutTokensAndNegativeTokensCountAsZero() {
        UsageRecorder r = new UsageRecorder();
        r.record("a", "gpt", null, "oidc:x#1", 0, 0);
        r.record("a", "gpt", null, "oidc:x#1", -5, 7);
        List<UsageCell> cells = cells(r);
        assertThat(cells).hasSize(1);
        UsageCell c = cells.getFirst();
        assertThat(c.keyId).isEqualTo(UsageRecorder.NO_KEY);
        assertThat(c.requests.sum()).isEqualTo(2);
        assertThat(c.promptTokens.sum()).isZero();
        assertThat(c.completionTokens.sum()).isEqualTo(7);
    }

    @Test
    void eachDimensionSeparatesCells() {
        UsageRecorder r = new UsageRecorder();
        r.record("a", "gpt", "k1", "key:a/Key1", 1, 1);
        r.record("a", "gpt", "k2", "key:a/Key2", 1, 1);
        r.record("a", "emb", "k1", "key:a/Key1", 1, 1);
        r.record("b", "gpt", null, "workload:w#1", 1, 1);
        r.record("b", "gpt", null, "workload:w#2", 1, 1);
        r.record("b", "gpt", null, "workload:w#2", 1, 1);
        assertThat(cells(r)).hasSize(5);
        assertThat(r.keyCount()).isEqualTo(5);
    }

    @Test
    void missingNamesAreRefused() {
        UsageRecorder r = new UsageRecorder();
        assertThatThrownBy(() -> r.record(null, "d", null, "p", 1, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> r.record("a", null, null, "p", 1, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> r.record("a", "d", null, null, 1, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pastTheKeyLimitNewPrincipalsFoldIntoOtherAndAreCounted() {
        UsageRecorder r = new UsageRecorder(3);
        r.record("a", "gpt", null, "p1", 1, 0);
        r.record("a", "gpt", null, "p2", 1, 0);
        r.record("a", "gpt", null, "p3", 1, 0);
        for (int i = 4; i < 1000; i++) {
            r.record("a", "gpt", null, "p" + i, 1, 0);
        }
        r.record("a", "gpt", null, "p1", 1, 0); // a known key keeps its own cell
        List<UsageCell> cells = cells(r);
        assertThat(cells).extracting(c -> c.principal).containsExactlyInAnyOrder("p1", "p2", "p3", UsageRecorder.OTHER);
        assertThat(r.foldedCount()).isEqualTo(996);
        assertThat(r.keyCount()).isEqualTo(4);
        long total = cells.stream().mapToLong(c -> c.requests.sum()).sum();
        assertThat(total).as("folding loses no request").isEqualTo(1000);
        assertThat(cells.stream().filter(c -> c.principal.equals(UsageRecorder.OTHER)).findFirst().orElseThrow().promptTokens.sum())
                .isEqualTo(996);
        assertThat(r.prometheusText()).contains("bulwark_usage_folded_total 996\n");
    }

    @Test
    void theKeyLimitHoldsUnderConcurrentNewKeys() throws Exception {
        UsageRecorder r = new UsageRecorder(100);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 5000; i++) {
                    r.record("a", "gpt", null, "t" + id + "-" + i, 1, 1);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        List<UsageCell> cells = cells(r);
        assertThat(cells).hasSize(101); // the limit, plus the one "other" cell of (a, gpt, no key)
        assertThat(cells.stream().mapToLong(c -> c.requests.sum()).sum()).isEqualTo(40_000);
        assertThat(r.foldedCount()).isEqualTo(40_000 - 100);
    }

    @Test
    void recordingAKnownKeyAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        UsageRecorder r = new UsageRecorder();
        String[] principals = {"oidc:https://idp#u1", "workload:app#42", "key:acct/Key1"};
        for (int round = 0; round < 2; round++) {
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 200_000; i++) {
                r.record("acct", "gpt-4o", i % 2 == 0 ? null : "kid123456789", principals[i % 3], 12, 34);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 1) {
                // Even 8 bytes a call would be 1.6 MB; allow a few KB of measurement noise.
                assertThat(allocated).isLessThan(16 * 1024);
            }
        }
    }

    @Test
    void prometheusTextHasHelpTypeAndOneSeriesPerAccountDeploymentAndTokenType() {
        UsageRecorder r = new UsageRecorder();
        r.record("b", "emb", null, "p", 5, 0);
        r.record("a", "gpt", "k", "p", 10, 20);
        r.record("a", "gpt", null, "q", 1, 2);
        String text = r.prometheusText();
        assertThat(text).isEqualTo("""
                # HELP bulwark_openai_requests_total Completed requests to model deployments, by account and deployment.
                # TYPE bulwark_openai_requests_total counter
                bulwark_openai_requests_total{account="a",deployment="gpt"} 2
                bulwark_openai_requests_total{account="b",deployment="emb"} 1
                # HELP bulwark_openai_tokens_total Tokens used by model deployments, by account, deployment and type.
                # TYPE bulwark_openai_tokens_total counter
                bulwark_openai_tokens_total{account="a",deployment="gpt",type="prompt"} 11
                bulwark_openai_tokens_total{account="a",deployment="gpt",type="completion"} 22
                bulwark_openai_tokens_total{account="b",deployment="emb",type="prompt"} 5
                bulwark_openai_tokens_total{account="b",deployment="emb",type="completion"} 0
                # HELP bulwark_usage_folded_total Calls counted under principal "other" because the usage key limit was reached.
                # TYPE bulwark_usage_folded_total counter
                bulwark_usage_folded_total 0
                """);
    }

    @Test
    void labelValuesAreEscapedSoAHostileNameCannotForgeASample() {
        UsageRecorder r = new UsageRecorder();
        r.record("a", "x\"} 999\nbulwark_openai_requests_total{account=\"evil\\", null, "p", 1, 1);
        String text = r.prometheusText();
        assertThat(text).contains("bulwark_openai_requests_total{account=\"a\",deployment=\"x\\\"} 999\\nbulwark_openai_requests_total"
                + "{account=\\\"evil\\\\\"} 1\n");
        // Every line is a comment or exactly one sample: the name did not start a line of its own.
        for (String line : text.split("\n")) {
            assertThat(line).matches("# .*|bulwark_[a-z_]+(\\{.*})? \\d+");
        }
        assertThat(text.lines().filter(l -> l.startsWith("bulwark_openai_requests_total")).count()).isEqualTo(1);
    }
}
