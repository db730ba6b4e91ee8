package dev.bulwark.bench;

import dev.bulwark.crypto.KeyReference;
import dev.bulwark.crypto.pkcs11.Pkcs11KeyProvider;
import dev.bulwark.crypto.pkcs11.SoftHsm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code Pkcs11KeyProvider} against SoftHSM2 (in-process, file token): wrap and unwrap of a 32-byte
 * data key (AES-256-GCM inside the token), the {@code usable} probe, and {@code current} with its
 * label snapshot ({@code current}) and re-reading the token's labels every call ({@code currentReread};
 * the token holds 3 keys here). SoftHSM2 is a software token: a network
 * or PCIe HSM adds its own round trip. Run: bench/jmh.sh Pkcs11WrapBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Pkcs11WrapBench {
    Pkcs11KeyProvider keys;
    Pkcs11KeyProvider rereading;
    KeyReference key;
    byte[] dataKey;
    byte[] aad;
    byte[] wrapped;

    @Setup(Level.Trial)
    public void setup() {
        keys = SoftHsm.get().provider();
        rereading = Pkcs11KeyProvider.open(SoftHsm.get().settings(SoftHsm.PIN), Duration.ZERO);
        key = keys.createKey("bench");
        keys.createKey("bench-other");
        keys.rotate("bench-other");
        dataKey = new byte[32];
        new SecureRandom().nextBytes(dataKey);
        aad = "account-a\0files\0file-123".getBytes(StandardCharsets.UTF_8);
        wrapped = keys.wrap(key, dataKey, aad);
    }

    @Benchmark
    public byte[] wrap() {
        return keys.wrap(key, dataKey, aad);
    }

    @Benchmark
    public byte[] unwrap() {
        return keys.unwrap(key, wrapped, aad);
    }

    @Benchmark
    public boolean usable() {
        return keys.usable(key);
    }

    @Benchmark
    public KeyReference current() {
        return keys.current("bench");
    }

    @Benchmark
    public KeyReference currentReread() {
        return rereading.current("bench");
    }
}
