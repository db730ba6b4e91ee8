package dev.bulwark.identity.token;

import dev.bulwark.account.KeyName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Signing and verification go on, correct, from many threads while the signing key rotates. */
class TokenConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ACCOUNTS = 50;

    @TempDir
    Path dir;
    TokenFixture f;

    @BeforeEach
    void setUp() {
        f = new TokenFixture(dir);
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void verifyingAndIssuingFromManyThreadsWhileRotatingNeverRefusesAGoodTokenNorAcceptsABadOne() throws Exception {
        List<String> before = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            before.add(f.accountToken("account-" + i, KeyName.KEY1));
        }
        String forged = before.get(0).substring(0, before.get(0).lastIndexOf('.') + 1) + TokenFixture.b64(new byte[64]);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong checks = new AtomicLong();
        CountDownLatch started = new CountDownLatch(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            workers.add(pool.submit(() -> {
                started.countDown();
                int n = seed;
                while (!stop.get()) {
                    n++;
                    int a = n % ACCOUNTS;
                    String account = "account-" + a;
                    // a token from before any rotation (cached after its first check)
                    if (!(f.verify(before.get(a), account) instanceof TokenVerdict.Valid)) {
                        failures.add("old token refused: " + f.verify(before.get(a), account));
                    }
                    // a fresh token, signed by whichever key is primary at this instant
                    String fresh = f.accountToken(account, KeyName.KEY1);
                    TokenVerdict v = f.verify(fresh, account);
                    if (!(v instanceof TokenVerdict.Valid)) {
                        failures.add("fresh token refused: " + v);
                    }
                    if (!(f.verify(fresh, "account-" + ((a + 1) % ACCOUNTS)) instanceof TokenVerdict.Invalid)) {
                        failures.add("token accepted on another account");
                    }
                    if (!(f.verify(forged, "account-0") instanceof TokenVerdict.Invalid)) {
                        failures.add("forged token accepted");
                    }
                    checks.addAndGet(4);
                }
            }));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int r = 0; r < 25; r++) {
            f.service.rotateSigningKey();
            Thread.sleep(20);
        }
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(failures).isEmpty();
        assertThat(checks.get()).isGreaterThan(1000);
        assertThat(TokenFixture.JSON.readTree(f.service.jwksJson()).get("keys")).hasSize(26);
        // Once the last retired key's trust ends, only tokens of the current primary verify.
        f.clock.advance(TokenService.LIFETIME.plus(TokenService.LEEWAY));
        assertThat(f.verify(before.get(0), "account-0")).isInstanceOf(TokenVerdict.Invalid.class);
        assertThat(f.verify(f.accountToken("account-0", KeyName.KEY1), "account-0")).isInstanceOf(TokenVerdict.Valid.class);
    }

    @Test
    void concurrentRotationsLeaveExactlyOnePrimary() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> rotations = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rotations.add(pool.submit(() -> f.service.rotateSigningKey()));
        }
        for (Future<?> r : rotations) {
            r.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int primaries = f.db.read(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM signing_keys WHERE status = 'primary'")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(primaries).isEqualTo(1);
        String primary = f.service.primaryKeyId();
        assertThat(f.restart().primaryKeyId()).isEqualTo(primary);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(f.verify(f.accountToken("contoso", KeyName.KEY1), "contoso")).isInstanceOf(TokenVerdict.Valid.class);
    }
}
