package dev.bulwark.server;

import com.azure.ai.textanalytics.TextAnalyticsClient;
import com.azure.ai.textanalytics.TextAnalyticsClientBuilder;
import com.azure.ai.textanalytics.models.DetectLanguageInput;
import com.azure.ai.textanalytics.models.DetectLanguageResult;
import com.azure.ai.textanalytics.models.DetectedLanguage;
import com.azure.ai.textanalytics.util.DetectLanguageResultCollection;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official Azure SDK TextAnalyticsClient, unchanged, over TLS against a real Bulwark. */
class LanguageSdkEndToEndTest {
    @TempDir
    static Path home;
    static TestBulwark bulwark;
    static HttpClient azureHttp;

    @BeforeAll
    static void start() throws Exception {
        bulwark = new TestBulwark(home);
        SslContext ssl = SslContextBuilder.forClient().trustManager(bulwark.certificate()).build();
        azureHttp = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create().secure(s -> s.sslContext(ssl))).build();
    }

    @AfterAll
    static void stop() {
        bulwark.close();
    }

    private static TextAnalyticsClient client(String account, String key) {
        return new TextAnalyticsClientBuilder()
                .endpoint(bulwark.endpoint(account))
                .credential(new AzureKeyCredential(key))
                .httpClient(azureHttp)
                // No retries: a refused key must surface at once, not after back-off.
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(0)))
                .buildClient();
    }

    private static final Map<String, String> SENTENCES = Map.of(
            "en", "The weather is lovely today and we are going for a long walk in the park.",
            "fr", "Le temps est magnifique aujourd'hui et nous allons faire une longue promenade dans le parc.",
            "de", "Das Wetter ist heute herrlich und wir machen einen langen Spaziergang im Park.",
            "es", "El tiempo es precioso hoy y vamos a dar un largo paseo por el parque.",
            "it", "Il tempo è bellissimo oggi e andiamo a fare una lunga passeggiata nel parco.",
            "pt", "O tempo está lindo hoje e vamos dar um longo passeio no parque.",
            "nl", "Het weer is vandaag prachtig en we gaan een lange wandeling maken in het park.",
            "ru", "Сегодня прекрасная погода, и мы идём на долгую прогулку в парк.",
            "pl", "Dzisiaj jest piękna pogoda i idziemy na długi spacer do parku.",
            "sv", "Vädret är underbart i dag och vi ska ta en lång promenad i parken.");

    @Test
    void detectsTenLanguagesWithAnAccountKey() {
        String[] keys = bulwark.createAccount("sdk-langs", "TextAnalytics");
        TextAnalyticsClient client = client("sdk-langs", keys[0]);
        for (var e : SENTENCES.entrySet()) {
            DetectedLanguage d = client.detectLanguage(e.getValue(), "none");
            assertThat(d.getIso6391Name()).as(e.getValue()).isEqualTo(e.getKey());
            assertThat(d.getConfidenceScore()).isGreaterThan(0.5);
        }
    }

    @Test
    void batchDetectionAnswersEveryDocumentWithPerDocumentErrors() {
        String[] keys = bulwark.createAccount("sdk-batch", "AIServices");
        List<DetectLanguageInput> inputs = new ArrayList<>();
        inputs.add(new DetectLanguageInput("1", SENTENCES.get("de"), "DE"));
        inputs.add(new DetectLanguageInput("2", "", "US"));
        inputs.add(new DetectLanguageInput("3", SENTENCES.get("es"), "ES"));
        DetectLanguageResultCollection results = client("sdk-batch", keys[1]).detectLanguageBatchWithResponse(inputs, null, null).getValue();
        Map<String, DetectLanguageResult> byId = new java.util.HashMap<>();
        results.forEach(r -> byId.put(r.getId(), r));
        // Like Azure, successes and per-document errors come back in separate lists; the SDK keeps that order.
        assertThat(byId).containsOnlyKeys("1", "2", "3");
        assertThat(byId.get("1").getPrimaryLanguage().getIso6391Name()).isEqualTo("de");
        assertThat(byId.get("2").isError()).isTrue();
        assertThat(byId.get("2").getError().getErrorCode().toString()).isEqualTo("InvalidDocument");
        assertThat(byId.get("3").getPrimaryLanguage().getIso6391Name()).isEqualTo("es");
        assertThat(results.getModelVersion()).isNotBlank();
    }

    @Test
    void rotationByRegeneratingKey1NeverFailsARequestOnKey2() throws Exception {
        String[] keys = bulwark.createAccount("sdk-rotate", "TextAnalytics");
        String oldKey1 = keys[0];
        String key2 = keys[1];
        assertThat(client("sdk-rotate", oldKey1).detectLanguage(SENTENCES.get("en")).getIso6391Name()).isEqualTo("en");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        TextAnalyticsClient onKey2 = client("sdk-rotate", key2);
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                try {
                    if (onKey2.detectLanguage(SENTENCES.get("fr")).getIso6391Name().equals("fr")) {
                        ok.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        });
        traffic.start();
        while (ok.get() < 5) {
            Thread.sleep(10);
        }
        var regenerated = bulwark.management("POST", "/accounts/sdk-rotate/regenerateKey", "{\"keyName\":\"Key1\"}");
        assertThat(regenerated.status()).isEqualTo(200);
        String newKey1 = regenerated.json().get("key1").asText();
        assertThat(newKey1).isNotEqualTo(oldKey1);
        assertThat(regenerated.json().get("key2").asText()).isEqualTo(key2);

        // The very next request with the old key fails with the Azure status and message.
        assertThatThrownBy(() -> client("sdk-rotate", oldKey1).detectLanguage(SENTENCES.get("en")))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("Access denied due to invalid subscription key or wrong API endpoint");
                });
        assertThat(client("sdk-rotate", newKey1).detectLanguage(SENTENCES.get("it")).getIso6391Name()).isEqualTo("it");
        int before = ok.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ok.get() < before + 5 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        running.set(false);
        traffic.join();
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(before + 5);
    }
}
