package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.textanalytics.TextAnalyticsClient;
import com.azure.ai.textanalytics.TextAnalyticsClientBuilder;
import com.azure.ai.textanalytics.TextAnalyticsServiceVersion;
import com.azure.ai.textanalytics.models.DetectLanguageInput;
import com.azure.ai.textanalytics.models.DetectLanguageResult;
import com.azure.ai.textanalytics.models.DetectedLanguage;
import com.azure.ai.textanalytics.models.TextAnalyticsError;
import com.azure.ai.textanalytics.models.TextAnalyticsErrorCode;
import com.azure.ai.textanalytics.models.TextAnalyticsException;
import com.azure.ai.textanalytics.util.DetectLanguageResultCollection;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.service.ServiceResponse;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The official Azure SDK ({@code azure-ai-textanalytics}) talking to {@link LanguageService}
 * unchanged: its own request serialisation, its own response models and error mapping. The HTTP
 * hop is replaced by an in-process {@link HttpClient} that routes {@code /language/:analyze-text}
 * to the service, which is what the server's route does.
 */
class AzureSdkCompatibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LanguageService service = LoadedModel.service();
    private final AtomicReference<String> lastRequestBody = new AtomicReference<>();
    private final AtomicReference<String> lastRequestUrl = new AtomicReference<>();

    private TextAnalyticsClient client(TextAnalyticsServiceVersion version) {
        return new TextAnalyticsClientBuilder()
                .endpoint("https://bulwark.test")
                .credential(new AzureKeyCredential("not-checked-here"))
                .serviceVersion(version)
                .httpClient(new InProcessHttpClient())
                .buildClient();
    }

    private TextAnalyticsClient client() {
        return client(TextAnalyticsServiceVersion.V2023_04_01);
    }

    @ParameterizedTest
    @EnumSource(value = TextAnalyticsServiceVersion.class, names = {"V2022_05_01", "V2023_04_01"})
    void detectLanguageAnswersThroughTheSdk(TextAnalyticsServiceVersion version) {
        DetectedLanguage detected = client(version).detectLanguage("This is a test English Text");

        assertThat(detected.getName()).isEqualTo("English");
        assertThat(detected.getIso6391Name()).isEqualTo("en");
        assertThat(detected.getConfidenceScore()).isBetween(0.8, 1.0);
        assertThat(lastRequestUrl.get()).contains("/language/:analyze-text?").contains("api-version=" + version.getVersion());
    }

    @Test
    void sdkSendsTheRequestShapeTheServiceParses() throws Exception {
        client().detectLanguage("Hello there, how are you today?", "GB");

        JsonNode sent = JSON.readTree(lastRequestBody.get());
        assertThat(sent.path("kind").asText()).isEqualTo("LanguageDetection");
        JsonNode document = sent.at("/analysisInput/documents/0");
        assertThat(document.path("id").asText()).isEqualTo("0");
        assertThat(document.path("text").asText()).isEqualTo("Hello there, how are you today?");
        assertThat(document.path("countryHint").asText()).isEqualTo("GB");
    }

    @Test
    void batchResultsComeBackInOrderWithTheirLanguages() {
        DetectLanguageResultCollection results = client().detectLanguageBatch(List.of(
                "Le temps était magnifique ce matin, alors nous avons décidé d'aller au marché à pied.",
                "El tiempo estaba precioso esta mañana, así que decidimos ir andando al mercado.",
                "今天早上天气很好，所以我们决定走路去市场买菜。"), "US", null);

        List<String> languages = new ArrayList<>();
        for (DetectLanguageResult result : results) {
            assertThat(result.isError()).isFalse();
            languages.add(result.getPrimaryLanguage().getIso6391Name());
        }
        assertThat(languages).containsExactly("fr", "es", "zh_chs");
        assertThat(results.getModelVersion()).isEqualTo(LanguageDetector.MODEL_VERSION);
    }

    @Test
    void emptyDocumentIsAnErrorResultWhileTheRestIsAnswered() {
        DetectLanguageResultCollection results = client().detectLanguageBatchWithResponse(List.of(
                new DetectLanguageInput("1", "The weather was lovely this morning, so we walked to the market."),
                new DetectLanguageInput("2", "")), null, Context.NONE).getValue();

        List<DetectLanguageResult> list = results.stream().toList();
        assertThat(list).extracting(DetectLanguageResult::getId).containsExactly("1", "2");
        assertThat(list.get(0).getPrimaryLanguage().getIso6391Name()).isEqualTo("en");
        assertThat(list.get(1).isError()).isTrue();
        assertThat(list.get(1).getError().getErrorCode()).isEqualTo(TextAnalyticsErrorCode.INVALID_DOCUMENT);
        assertThat(list.get(1).getError().getMessage()).isEqualTo("Document text is empty.");
    }

    @Test
    void invalidCountryHintSurfacesAsTheSdksInvalidCountryHint() {
        assertThatThrownBy(() -> client().detectLanguage("Este es un documento escrito en Español.", "invalidcountry"))
                .isInstanceOfSatisfying(TextAnalyticsException.class, e ->
                        assertThat(e.getErrorCode()).isEqualTo(TextAnalyticsErrorCode.INVALID_COUNTRY_HINT));
    }

    @Test
    void noneAndEmptyCountryHintsAreAccepted() {
        String spanish = "Este es un documento escrito en Español, con varias palabras para decidir.";

        assertThat(client().detectLanguage(spanish, "none").getIso6391Name()).isEqualTo("es");
        assertThat(client().detectLanguage(spanish, "").getIso6391Name()).isEqualTo("es");
    }

    @Test
    void textWithoutLanguageIsTheSdksUnknown() {
        DetectedLanguage detected = client().detectLanguage("!@#%%");

        assertThat(detected.getName()).isEqualTo("(Unknown)");
        assertThat(detected.getIso6391Name()).isEqualTo("(Unknown)");
        assertThat(detected.getConfidenceScore()).isZero();
    }

    @Test
    void duplicateIdsAreABadRequestWithInvalidDocument() {
        List<DetectLanguageInput> inputs = List.of(new DetectLanguageInput("1", "Hello"), new DetectLanguageInput("1", "Bonjour"));

        assertThatThrownBy(() -> client().detectLanguageBatchWithResponse(inputs, null, Context.NONE))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(((TextAnalyticsError) e.getValue()).getErrorCode())
                            .isEqualTo(TextAnalyticsErrorCode.INVALID_DOCUMENT);
                });
    }

    @Test
    void tooManyDocumentsIsABadRequestWithInvalidDocumentBatch() {
        List<DetectLanguageInput> inputs = IntStream.rangeClosed(1, LanguageService.MAX_DOCUMENTS + 1)
                .mapToObj(i -> new DetectLanguageInput(Integer.toString(i), "Hello")).toList();

        assertThatThrownBy(() -> client().detectLanguageBatchWithResponse(inputs, null, Context.NONE))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    assertThat(e.getResponse().getStatusCode()).isEqualTo(400);
                    assertThat(((TextAnalyticsError) e.getValue()).getErrorCode())
                            .isEqualTo(TextAnalyticsErrorCode.INVALID_DOCUMENT_BATCH);
                });
    }

    /** Routes the SDK's requests to the service in-process, recording what the SDK sent. */
    private final class InProcessHttpClient implements HttpClient {
        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            lastRequestUrl.set(request.getUrl().toString());
            byte[] body = request.getBodyAsBinaryData() == null ? new byte[0] : request.getBodyAsBinaryData().toBytes();
            lastRequestBody.set(new String(body, StandardCharsets.UTF_8));
            ServiceResponse answer = request.getUrl().getPath().equals("/language/:analyze-text")
                    ? service.analyzeText(queryParameter(request, "api-version"), body)
                    : ServiceResponse.json(404, "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
            return Mono.just(new InProcessResponse(request, answer));
        }

        private static String queryParameter(HttpRequest request, String name) {
            String query = request.getUrl().getQuery();
            if (query == null) {
                return null;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    private static final class InProcessResponse extends HttpResponse {
        private final ServiceResponse answer;
        private final HttpHeaders headers;

        InProcessResponse(HttpRequest request, ServiceResponse answer) {
            super(request);
            this.answer = answer;
            this.headers = new HttpHeaders().set(HttpHeaderName.CONTENT_TYPE, answer.contentType());
        }

        @Override
        public int getStatusCode() {
            return answer.status();
        }

        @Override
        @Deprecated
        public String getHeaderValue(String name) {
            return headers.getValue(HttpHeaderName.fromString(name));
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(answer.body()));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(answer.body());
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(answer.bodyText());
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(answer.body(), charset));
        }
    }
}
