package dev.bulwark.bench;

import dev.bulwark.account.AccountKeyFormat;
import dev.bulwark.account.AccountKind;
import dev.bulwark.account.KeyName;
import dev.bulwark.crypto.KeyedDigest;
import dev.bulwark.pipeline.KeyAuthenticationStage;
import dev.bulwark.pipeline.RequestContext;
import dev.bulwark.pipeline.StageResult;
import dev.bulwark.snapshot.AccountView;
import dev.bulwark.snapshot.DigestKey;
import dev.bulwark.snapshot.KeyBinding;
import dev.bulwark.snapshot.Snapshot;
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
import org.openjdk.jmh.annotations.Warmup;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The data plane's key check (authentication stage) against a snapshot of N accounts with two keys
 * each: a valid key, a well-formed unknown key, and a key with a broken checksum. Run: bench/jmh.sh
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyCheckBenchmark {
    @Param({"10000"})
    int accounts;

    KeyAuthenticationStage stage;
    RequestContext[] valid;
    RequestContext unknown;
    RequestContext broken;
    int next;

    @Setup(Level.Trial)
    public void setup() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        KeyedDigest digest = new KeyedDigest(k);
        stage = new KeyAuthenticationStage(digest);
        Map<String, AccountView> views = new HashMap<>();
        Map<DigestKey, KeyBinding> keys = new HashMap<>();
        String[] names = new String[accounts];
        String[] key1s = new String[accounts];
        for (int i = 0; i < accounts; i++) {
            names[i] = "account-" + i;
            views.put(names[i], AccountView.of(names[i], AccountKind.TextAnalytics, false));
            key1s[i] = AccountKeyFormat.generate();
            keys.put(new DigestKey(digest.digestAscii(key1s[i])), new KeyBinding(names[i], KeyName.KEY1, "id"));
            keys.put(new DigestKey(digest.digestAscii(AccountKeyFormat.generate())), new KeyBinding(names[i], KeyName.KEY2, "id"));
        }
        Snapshot snapshot = new Snapshot(1, views, keys);
        valid = new RequestContext[1024];
        for (int i = 0; i < valid.length; i++) {
            int a = (i * 7919) % accounts;
            valid[i] = context(snapshot, views.get(names[a]), key1s[a]);
        }
        unknown = context(snapshot, views.get(names[0]), AccountKeyFormat.generate());
        String good = key1s[0];
        broken = context(snapshot, views.get(names[0]), good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A"));
    }

    private static RequestContext context(Snapshot s, AccountView account, String key) {
        return RequestContext.start("rid", new OneKeyHead(key), s).withAccount(account, "/language/:analyze-text");
    }

    /**
     * A request head with one key header and a header lookup as cheap as Netty's (a hash-bucket
     * probe), so the benchmark measures the stage, not a test double's string handling.
     */
    record OneKeyHead(String key) implements dev.bulwark.pipeline.RequestHead {
        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String path() {
            return "/accounts/x/language/:analyze-text";
        }

        @Override
        public String host() {
            return "localhost";
        }

        @Override
        public String header(CharSequence name) {
            return name.length() == 25 ? key : null; // "Ocp-Apim-Subscription-Key"
        }

        @Override
        public int headerCount(CharSequence name) {
            return name.length() == 25 ? 1 : 0;
        }

        @Override
        public String peerAddress() {
            return "127.0.0.1";
        }

        @Override
        public byte[] peerAddressBytes() {
            return new byte[] {127, 0, 0, 1};
        }

        @Override
        public String listenerName() {
            return "data";
        }

        @Override
        public boolean listenerPrivate() {
            return false;
        }

        @Override
        public String query(String name) {
            return null;
        }
    }

    @Benchmark
    public StageResult validKey() {
        next = (next + 1) & 1023;
        return stage.apply(valid[next]);
    }

    @Benchmark
    public StageResult unknownWellFormedKey() {
        return stage.apply(unknown);
    }

    @Benchmark
    public StageResult brokenChecksum() {
        return stage.apply(broken);
    }
}
