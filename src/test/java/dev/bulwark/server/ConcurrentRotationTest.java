package dev.bulwark.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Many regenerations racing each other and live traffic: the survivors work, every replaced key is dead, nothing 5xx. */
class ConcurrentRotationTest {
    private static final String BODY = "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[{\"id\":\"1\",\"text\":\"hello there my friend\"}]}}";

    @Test
    void racingRegenerationsLeaveExactlyTheLastKeysValid(@TempDir Path home) throws Exception {
        try (TestBulwark bulwark = new TestBulwark(home)) {
            String[] initial = bulwark.createAccount("racy", "TextAnalytics");
            Set<String> everIssued = ConcurrentHashMap.newKeySet();
            everIssued.add(initial[0]);
            everIssued.add(initial[1]);
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> rotations = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String slot = t % 2 == 0 ? "Key1" : "Key2";
                rotations.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        TestBulwark.Response r = bulwark.management("POST", "/accounts/racy/regenerateKey", "{\"keyName\":\"" + slot + "\"}");
                        statuses.add(r.status());
                        assertThat(r.status()).as(r.body()).isEqualTo(200);
                        everIssued.add(r.json().get("key1").asText());
                        everIssued.add(r.json().get("key2").asText());
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                pool.submit(() -> {
                    while (running.get()) {
                        for (String k : List.copyOf(everIssued)) {
                            statuses.add(call(bulwark, k));
                        }
                    }
                    return null;
                });
            }
            for (Future<?> f : rotations) {
                f.get();
            }
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

            JsonNode finalKeys = bulwark.management("POST", "/accounts/racy/listKeys", null).json();
            String k1 = finalKeys.get("key1").asText();
            String k2 = finalKeys.get("key2").asText();
            assertThat(everIssued).hasSize(2 + 40); // every regeneration issued a fresh key
            assertThat(call(bulwark, k1)).isEqualTo(200);
            assertThat(call(bulwark, k2)).isEqualTo(200);
            for (String old : everIssued) {
                if (!old.equals(k1) && !old.equals(k2)) {
                    assertThat(call(bulwark, old)).as("a replaced key").isEqualTo(401);
                }
            }
            assertThat(statuses).allMatch(s -> s == 200 || s == 401);
            JsonNode audit = bulwark.management("GET", "/audit?account=racy&operation=Microsoft.CognitiveServices/accounts/regenerateKey/action&top=1000", null).json();
            assertThat(audit.get("value")).hasSize(40);
        }
    }

    private static int call(TestBulwark b, String key) {
        return b.send(HttpRequest.newBuilder(URI.create(b.endpoint("racy") + "language/:analyze-text?api-version=2023-04-01"))
                .header("api-key", key).POST(HttpRequest.BodyPublishers.ofString(BODY)).build()).status();
    }
}
