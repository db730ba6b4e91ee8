package dev.bulwark.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UsageSurvivesRestartTest {
    @TempDir
    Path home;

    @Test
    void stoppingBulwarkFlushesWhatWasCountedSinceTheLastFlush() {
        try (TestBulwark bulwark = new TestBulwark(home, Map.of("BULWARK_USAGE_FLUSH_SECONDS", "3600"))) {
            bulwark.bulwark().usage().record("alpha", "gpt", null, "oidc:https://idp#u1", 7, 5);
            bulwark.stop(); // no API call flushed it: only close() can have
            bulwark.start();
            var r = bulwark.management("GET", "/usage?groupBy=principal", null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("value").toString()).isEqualTo(
                    "[{\"principal\":\"oidc:https://idp#u1\",\"requests\":1,\"promptTokens\":7,\"completionTokens\":5,\"totalTokens\":12}]");
        }
    }
}
