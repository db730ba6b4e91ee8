package dev.bulwark.bench;

import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.CustomerKey;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.KeySource;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectIdentity;
import dev.bulwark.crypto.ServiceKeyProvider;
import dev.bulwark.store.Database;
import dev.bulwark.vault.VaultItems;
import dev.bulwark.vault.VaultKeyProvider;
import dev.bulwark.vault.VaultKeys;
import dev.bulwark.vault.VaultPolicy;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built-in vault as a customer-managed key, as the account key store uses it: {@code
 * VaultKeyProvider.wrap}/{@code unwrap} of a 32-byte data key under an RSA-2048 key (RSA-OAEP-256,
 * the binding as label) or an oct-256 key (AES-256-GCM), each call reading the key version from
 * SQLite (a temp file) and opening its sealed key material with the service key, as in production;
 * then a whole {@code EnvelopeCipher} seal+open of 1 KiB with two layers (service outside, the vault
 * key inside), with the data key cache off and on, and an open of one fixed envelope (with the cache
 * on, every open after the first is a cache hit). Run: bench/jmh.sh VaultWrapBench
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VaultWrapBench {
    static final ObjectIdentity OBJECT = new ObjectIdentity("acct-1", "account-key", "key1");

    /** A vault over a temp SQLite file with one key of the given type. */
    @State(Scope.Benchmark)
    public static class Vault {
        @Param({"RSA-2048", "oct-256"})
        String key;

        Path dir;
        Database db;
        VaultKeyProvider provider;
        ServiceKeyProvider service;
        String keyName;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("bulwark-vault-bench");
            db = Database.openSqlite(dir.resolve("vault.db"));
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            service = ServiceKeyProvider.fromMasterKey(MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "bench")), 1);
            // The vault's own cipher (its key material at rest) keeps the default cache, as in Bulwark.
            VaultKeys keys = new VaultKeys(new VaultItems(db, Clock.systemUTC(), VaultPolicy.DEFAULT),
                    EnvelopeCipher.withServiceKey(KeyProviders.of(service), DataKeyCache.withDefaults()));
            keyName = "bench-" + key.toLowerCase(java.util.Locale.ROOT);
            keys.create(keyName, key.equals("RSA-2048") ? VaultKeys.NewKey.rsa(2048)
                    : new VaultKeys.NewKey(VaultKeys.OCT, 256, true, Optional.empty(), Optional.empty(), Map.of()));
            provider = new VaultKeyProvider(keys);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            db.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** One data key wrapped once, for the unwrap case. */
    @State(Scope.Benchmark)
    public static class Wrapped {
        KeyReference ref;
        byte[] dataKey;
        byte[] aad;
        byte[] wrapped;

        @Setup(Level.Trial)
        public void wrap(Vault vault) {
            ref = vault.provider.current(vault.keyName);
            dataKey = new byte[32];
            new SecureRandom().nextBytes(dataKey);
            aad = "BWE/1 data key, layer 2 of 2 (inner)\0acct-1\0account-key\0key1".getBytes(StandardCharsets.UTF_8);
            wrapped = vault.provider.wrap(ref, dataKey, aad);
        }
    }

    /** A two-layer envelope cipher whose customer layer is the vault key, with the data key cache off or on. */
    @State(Scope.Benchmark)
    public static class Envelope {
        @Param({"off", "on"})
        String cache;

        EnvelopeCipher cipher;
        Optional<CustomerKey> customerKey;
        byte[] plaintext;
        byte[] envelope;

        @Setup(Level.Trial)
        public void setUp(Vault vault) {
            DataKeyCache c = cache.equals("on") ? DataKeyCache.create(DataKeyCache.DEFAULT_MAX_ENTRIES, Duration.ofSeconds(60))
                    : DataKeyCache.disabled();
            cipher = EnvelopeCipher.withServiceKey(KeyProviders.of(vault.service, vault.provider), c);
            customerKey = Optional.of(new CustomerKey(KeySource.VAULT, vault.keyName, Optional.empty()));
            plaintext = new byte[1024];
            new SecureRandom().nextBytes(plaintext);
            envelope = cipher.seal(plaintext, OBJECT, customerKey);
        }
    }

    @Benchmark
    public byte[] wrap(Wrapped w, Vault vault) {
        return vault.provider.wrap(w.ref, w.dataKey, w.aad);
    }

    @Benchmark
    public byte[] unwrap(Wrapped w, Vault vault) {
        return vault.provider.unwrap(w.ref, w.wrapped, w.aad);
    }

    /** A fresh data key per seal, so the open always misses the cache: the cost of writing then reading an object. */
    @Benchmark
    public byte[] sealOpen(Envelope e) {
        return e.cipher.open(e.cipher.seal(e.plaintext, OBJECT, e.customerKey), OBJECT);
    }

    /** Reading the same object again: with the cache on, the vault unwrap is skipped. */
    @Benchmark
    public byte[] open(Envelope e) {
        return e.cipher.open(e.envelope, OBJECT);
    }
}
