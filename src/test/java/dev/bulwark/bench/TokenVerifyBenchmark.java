package dev.bulwark.bench;

import dev.bulwark.account.KeyName;
import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectCipher;
import dev.bulwark.crypto.ServiceKeyProvider;
import dev.bulwark.identity.token.KeyGenerations;
import dev.bulwark.identity.token.TokenService;
import dev.bulwark.identity.token.TokenVerdict;
import dev.bulwark.store.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Verification of Bulwark's own bearer tokens ({@code TokenService.verify}) as the data plane does
 * it: N account-key tokens for N accounts presented in rotation (all N live in the cache at once), with the key-generation check
 * against an in-memory map. "cached" is a token already seen (the common case: clients reuse a
 * token for about 9 minutes); "firstCheck" is a token never seen (a service with the cache off, so
 * every call does the full parse and ECDSA P-256 verification). Run: bench/jmh.sh TokenVerifyBenchmark
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TokenVerifyBenchmark {
    @Param({"1000", "10000"})
    int tokens;

    Path dir;
    Database db;
    TokenService cachedService;
    TokenService uncachedService;
    KeyGenerations keys;
    String[] token;
    String[] account;
    String forged;
    int next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("bulwark-bench-token");
        db = Database.openSqlite(dir.resolve("bench.db"));
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        MasterKey master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "bench"));
        // A fixed clock: every token stays valid for the whole run.
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        String issuer = "https://localhost:8443/sts";
        ObjectCipher cipher = EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1)),
                DataKeyCache.withDefaults());
        cachedService = new TokenService(db, master, cipher, clock, issuer);
        uncachedService = new TokenService(db, master, cipher, clock, issuer, new TokenService.Options(
                Set.of(TokenService.COGNITIVE_SERVICES_AUDIENCE), Set.of(TokenService.MANAGEMENT_AUDIENCE), 0));
        Map<String, String> current = new HashMap<>();
        token = new String[tokens];
        account = new String[tokens];
        for (int i = 0; i < tokens; i++) {
            account[i] = "account-" + i;
            byte[] id = new byte[9];
            new SecureRandom().nextBytes(id);
            String keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            current.put(account[i], keyId);
            token[i] = cachedService.issueForAccountKey(account[i], "westeurope", KeyName.KEY1, keyId);
        }
        keys = (a, slot, keyId) -> keyId.equals(current.get(a));
        for (int i = 0; i < tokens; i++) {
            if (!(cachedService.verify(token[i], account[i], keys) instanceof TokenVerdict.Valid)
                    || i < 10 && !(uncachedService.verify(token[i], account[i], keys) instanceof TokenVerdict.Valid)) {
                throw new IllegalStateException("benchmark tokens must verify");
            }
        }
        forged = token[0].substring(0, token[0].lastIndexOf('.') + 1) + token[1].substring(token[1].lastIndexOf('.') + 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int next() {
        return next = next + 1 == tokens ? 0 : next + 1;
    }

    /** A token already verified once: digest, table probe, expiry/account/key-generation re-checks. */
    @Benchmark
    public TokenVerdict cached() {
        int i = next();
        return cachedService.verify(token[i], account[i], keys);
    }

    /** The first check of a token: full parse, header policy, ECDSA P-256 verification, claims. */
    @Benchmark
    public TokenVerdict firstCheck() {
        int i = next();
        return uncachedService.verify(token[i], account[i], keys);
    }

    /** A cached token presented on another account: refused after the cache hit. */
    @Benchmark
    public TokenVerdict cachedOtherAccount() {
        int i = next();
        return cachedService.verify(token[i], account[i == 0 ? tokens - 1 : i - 1], keys);
    }

    /** A genuine header and claims under another token's signature: never cached, refused by ECDSA. */
    @Benchmark
    public TokenVerdict forgedSignature() {
        return cachedService.verify(forged, account[0], keys);
    }
}
