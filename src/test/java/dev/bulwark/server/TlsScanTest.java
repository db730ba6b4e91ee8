package dev.bulwark.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs bench/testssl.sh (testssl.sh, the Debian package) against a real Bulwark data listener: no
 * protocol below TLS 1.2, no CBC or non-forward-secret suite, HSTS present.
 */
class TlsScanTest {

    @Test
    void testsslFindsNothingBelowBulwarksTlsPolicy(@TempDir Path home) throws Exception {
        try (TestBulwark bulwark = new TestBulwark(home.resolve("home"))) {
            Path out = home.resolve("scan");
            ProcessBuilder pb = new ProcessBuilder("bash", "bench/testssl.sh", "127.0.0.1:" + bulwark.bulwark().dataPort())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("testssl-output.txt").toFile());
            pb.environment().put("TESTSSL_OUT_DIR", out.toString());
            Process p = pb.start();
            boolean finished = p.waitFor(8, TimeUnit.MINUTES);
            if (!finished) {
                p.destroyForcibly();
            }
            String output = Files.readString(home.resolve("testssl-output.txt"), StandardCharsets.UTF_8);
            assertThat(finished).as("testssl finished in time; output so far:\n%s", output).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(output).contains("meets Bulwark's TLS policy");
        }
    }
}
