package dev.bulwark.usage;

import dev.bulwark.testing.MutableClock;
import dev.bulwark.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.bulwark.usage.UsageDimension.ACCOUNT;
import static dev.bulwark.usage.UsageDimension.DEPLOYMENT;
import static dev.bulwark.usage.UsageDimension.HOUR;
import static dev.bulwark.usage.UsageDimension.KEY;
import static dev.bulwark.usage.UsageDimension.PRINCIPAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

/** Grouping and filters over real hourly rows: 10:00 and 11:00 buckets of two accounts. */
class UsageStoreQueryTest {
    private static final Instant H10 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant H11 = Instant.parse("2026-03-01T11:00:00Z");

    @TempDir
    Path dir;
    Database db;
    UsageStore store;

    @BeforeEach
    void fill() {
        db = Database.openSqlite(dir.resolve("bulwark.db"));
        store = new UsageStore(db);
        UsageRecorder r = new UsageRecorder();
        MutableClock clock = new MutableClock(H10.plusSeconds(60));
        try (UsageFlusher f = new UsageFlusher(r, store, Duration.ofHours(1), clock)) {
            r.record("a", "gpt", "k1", "key:a/Key1", 10, 1);
            r.record("a", "gpt", "k1", "key:a/Key1", 10, 1);
            r.record("a", "gpt", null, "oidc:idp#u1", 5, 5);
            r.record("a", "emb", "k2", "key:a/Key2", 100, 0);
            r.record("b", "gpt", null, "workload:w#1", 7, 3);
            f.flush();
            clock.advance(Duration.ofHours(1));
            r.record("a", "gpt", "k1", "key:a/Key1", 1, 1);
            r.record("b", "gpt", null, "workload:w#1", 0, 0);
            f.flush();
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    private List<UsageRow> q(String account, String deployment, Instant from, Instant to, UsageDimension... by) {
        return store.query(new UsageQuery(account, deployment, from, to, List.of(by)));
    }

    @Test
    void groupsByAccountAndDeploymentByDefault() {
        assertThat(store.query(UsageQuery.all()))
                .extracting(UsageRow::account, UsageRow::deployment, UsageRow::requests, UsageRow::promptTokens,
                        UsageRow::completionTokens, UsageRow::totalTokens)
                .containsExactly(
                        tuple("a", "emb", 1L, 100L, 0L, 100L),
                        tuple("a", "gpt", 4L, 26L, 8L, 34L),
                        tuple("b", "gpt", 2L, 7L, 3L, 10L));
    }

    @Test
    void ungroupedDimensionsAreNullAndNoKeyIsNull() {
        List<UsageRow> rows = q("a", "gpt", null, null, KEY);
        assertThat(rows).extracting(UsageRow::account, UsageRow::deployment, UsageRow::principal, UsageRow::hour)
                .containsOnly(tuple(null, null, null, null));
        assertThat(rows).extracting(UsageRow::keyId, UsageRow::requests).containsExactly(tuple(null, 1L), tuple("k1", 3L));
    }

    @Test
    void groupsByPrincipalAndHour() {
        assertThat(q(null, "gpt", null, null, PRINCIPAL, HOUR))
                .extracting(UsageRow::principal, UsageRow::hour, UsageRow::requests)
                .containsExactly(
                        tuple("key:a/Key1", H10, 2L), tuple("key:a/Key1", H11, 1L),
                        tuple("oidc:idp#u1", H10, 1L),
                        tuple("workload:w#1", H10, 1L), tuple("workload:w#1", H11, 1L));
    }

    @Test
    void filtersByAccountAndDeployment() {
        assertThat(q("b", null, null, null, ACCOUNT, DEPLOYMENT)).extracting(UsageRow::account, UsageRow::requests)
                .containsExactly(tuple("b", 2L));
        assertThat(q(null, "emb", null, null, ACCOUNT)).extracting(UsageRow::account, UsageRow::promptTokens)
                .containsExactly(tuple("a", 100L));
        assertThat(q("nobody", null, null, null, ACCOUNT)).isEmpty();
    }

    @Test
    void timeBoundsSelectTheHourlyBucketsOverlappingThem() {
        // from inside 10:00's bucket still includes it; to at 11:00 exactly excludes 11:00's.
        assertThat(q(null, null, H10.plusSeconds(1800), H11, HOUR)).extracting(UsageRow::hour).containsExactly(H10);
        assertThat(q(null, null, H10.plusSeconds(3599), null, HOUR)).extracting(UsageRow::hour).containsExactly(H10, H11);
        assertThat(q(null, null, H11, null, HOUR)).extracting(UsageRow::hour).containsExactly(H11);
        assertThat(q(null, null, null, H11.plusNanos(1), HOUR)).extracting(UsageRow::hour).containsExactly(H10, H11);
        assertThat(q(null, null, H11.plusSeconds(3600), null, HOUR)).isEmpty();
    }

    @Test
    void badQueriesAreRefusedWithAReason() {
        assertThatThrownBy(() -> new UsageQuery(null, null, H11, H10, List.of(ACCOUNT))).hasMessageContaining("from must be before to");
        assertThatThrownBy(() -> new UsageQuery(null, null, null, null, List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new UsageQuery(" ", null, null, null, List.of(ACCOUNT))).hasMessageContaining("account");
        assertThatThrownBy(() -> UsageDimension.parseList("deployment,team")).hasMessageContaining("'team'")
                .hasMessageContaining("account, deployment, key, principal, hour");
        assertThat(UsageDimension.parseList("key, Deployment,key")).containsExactly(DEPLOYMENT, KEY);
        assertThat(UsageDimension.parseList(null)).containsExactly(ACCOUNT, DEPLOYMENT);
    }
}
