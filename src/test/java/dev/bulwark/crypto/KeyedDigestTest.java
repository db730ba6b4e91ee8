package dev.bulwark.crypto;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KeyedDigestTest {
    private final byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] reference(String s) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void matchesHmacSha256ForEveryLengthAroundTheBufferSize() throws Exception {
        KeyedDigest d = new KeyedDigest(key);
        for (int n : new int[] {0, 1, 53, 127, 128, 129, 255, 256, 257, 1000}) {
            String s = "k".repeat(n);
            assertThat(d.digestAscii(s)).as("length %d", n).isEqualTo(reference(s));
        }
    }

    @Test
    void digestsFromManyThreadsAreIndependent() throws Exception {
        KeyedDigest d = new KeyedDigest(key);
        byte[] expected = reference("bwk_same-input");
        Thread[] threads = new Thread[8];
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5000; i++) {
                    if (!java.util.Arrays.equals(d.digestAscii("bwk_same-input"), expected)) {
                        wrong.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong.get()).isZero();
    }

    @Test
    void differentKeysGiveDifferentDigests() {
        assertThat(new KeyedDigest(key).digestAscii("x")).isNotEqualTo(new KeyedDigest(new byte[32]).digestAscii("x"));
    }
}
