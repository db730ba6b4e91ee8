package dev.bulwark.bench;

import dev.bulwark.config.SecretValue;
import dev.bulwark.crypto.CustomerKey;
import dev.bulwark.crypto.DataKeyCache;
import dev.bulwark.crypto.EnvelopeCipher;
import dev.bulwark.crypto.InMemoryKeyProvider;
import dev.bulwark.crypto.KeyProviders;
import dev.bulwark.crypto.KeySource;
import dev.bulwark.crypto.MasterKey;
import dev.bulwark.crypto.ObjectIdentity;
import dev.bulwark.crypto.ServiceKeyProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code EnvelopeCipher.seal} and {@code open} of one object, as storage will call them: a fresh data
 * key per layer and per seal, the content encrypted once with AES-256-GCM. "single" is the service
 * layer only; "double" adds a customer-key layer from an in-memory key store standing in for the
 * vault (its unwraps go through the data key cache, as the vault's will). Run:
 * bench/jmh.sh EnvelopeBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeBench {
    @Param({"1024", "1048576"})
    int size;

    @Param({"single", "double"})
    String layers;

    static final ObjectIdentity OBJECT = new ObjectIdentity("acct-1", "document", "doc-1");

    EnvelopeCipher cipher;
    Optional<CustomerKey> customerKey;
    byte[] plaintext;
    byte[] envelope;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        byte[] k = new byte[32];
        random.nextBytes(k);
        MasterKey master = MasterKey.from(new SecretValue(Base64.getEncoder().encodeToString(k), "bench"));
        InMemoryKeyProvider vault = new InMemoryKeyProvider(KeySource.VAULT);
        vault.rotate("cmk");
        cipher = EnvelopeCipher.withServiceKey(KeyProviders.of(ServiceKeyProvider.fromMasterKey(master, 1), vault), DataKeyCache.withDefaults());
        customerKey = layers.equals("double") ? Optional.of(new CustomerKey(KeySource.VAULT, "cmk", Optional.empty())) : Optional.empty();
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        envelope = cipher.seal(plaintext, OBJECT, customerKey);
    }

    @Benchmark
    public byte[] seal() {
        return cipher.seal(plaintext, OBJECT, customerKey);
    }

    @Benchmark
    public byte[] open() {
        return cipher.open(envelope, OBJECT);
    }
}
