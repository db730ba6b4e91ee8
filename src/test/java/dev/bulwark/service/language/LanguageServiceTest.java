package dev.bulwark.service.language;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.service.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_VERSION = "2023-04-01";
    private static final String ENGLISH = "The weather was lovely this morning, so we decided to walk to the market.";

    private final LanguageService service = LoadedModel.service();

    // --- success shape --------------------------------------------------------------------------

    @Test
    void answersWithAzuresLanguageDetectionResultsShape() throws Exception {
        ServiceResponse response = service.analyzeText(API_VERSION, bytes(body(document("1", ENGLISH, "US"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode root = JSON.readTree(response.body());
        assertThat(fieldNames(root)).containsExactly("kind", "results");
        assertThat(root.path("kind").asText()).isEqualTo("LanguageDetectionResults");
        JsonNode results = root.path("results");
        assertThat(fieldNames(results)).containsExactly("documents", "errors", "modelVersion");
        assertThat(results.path("modelVersion").asText()).isEqualTo(LanguageDetector.MODEL_VERSION);
        assertThat(results.path("errors").isArray()).isTrue();
        assertThat(results.path("errors")).isEmpty();
        JsonNode document = results.path("documents").get(0);
        assertThat(fieldNames(document)).containsExactly("id", "detectedLanguage", "warnings");
        assertThat(document.path("id").asText()).isEqualTo("1");
        assertThat(document.path("warnings").isArray()).isTrue();
        assertThat(document.path("warnings")).isEmpty();
        JsonNode detected = document.path("detectedLanguage");
        assertThat(fieldNames(detected)).containsExactly("name", "iso6391Name", "confidenceScore");
        assertThat(detected.path("name").asText()).isEqualTo("English");
        assertThat(detected.path("iso6391Name").asText()).isEqualTo("en");
        assertThat(detected.path("confidenceScore").isNumber()).isTrue();
        assertThat(detected.path("confidenceScore").asDouble()).isBetween(0.8, 1.0);
    }

    @Test
    void unknownAnswerHasAzuresExactFields() throws Exception {
        JsonNode detected = JSON.readTree(service.analyzeText(API_VERSION, bytes(body(document("1", "12345", null)))).body())
                .at("/results/documents/0/detectedLanguage");

        assertThat(detected.toString()).isEqualTo("{\"name\":\"(Unknown)\",\"iso6391Name\":\"(Unknown)\",\"confidenceScore\":0.0}");
    }

    @Test
    void parametersAndUnknownFieldsAreAccepted() throws Exception {
        ObjectNode request = body(document("1", ENGLISH, null));
        request.putObject("parameters").put("modelVersion", "latest").put("loggingOptOut", true);
        request.put("futureField", "ignored");

        assertThat(service.analyzeText(API_VERSION, bytes(request)).status()).isEqualTo(200);
        ((ObjectNode) request.get("parameters")).put("modelVersion", LanguageDetector.MODEL_VERSION);
        assertThat(service.analyzeText(API_VERSION, bytes(request)).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2022-05-01", "2023-04-01", "2023-11-15-preview", "2024-11-01"})
    void answersEverySupportedApiVersion(String apiVersion) {
        assertThat(service.analyzeText(apiVersion, bytes(body(document("1", ENGLISH, null)))).status()).isEqualTo(200);
    }

    @Test
    void thousandDocumentsAreAnsweredInOrder() throws Exception {
        ObjectNode request = body();
        for (int i = 0; i < LanguageService.MAX_DOCUMENTS; i++) {
            documents(request).add(document("doc-" + i, ENGLISH, null));
        }

        JsonNode results = JSON.readTree(service.analyzeText(API_VERSION, bytes(request)).body()).path("results");

        assertThat(results.path("documents")).hasSize(LanguageService.MAX_DOCUMENTS);
        assertThat(results.path("documents").get(999).path("id").asText()).isEqualTo("doc-999");
    }

    // --- per-document errors --------------------------------------------------------------------

    @Test
    void perDocumentErrorsLeaveTheRestOfTheBatchAnswered() throws Exception {
        ObjectNode request = body(
                document("a", ENGLISH, null),
                document("b", "", null),
                document("c", "Das Wetter war heute Morgen herrlich, also sind wir zum Markt gelaufen.", "DE"),
                document("d", "x".repeat(LanguageService.MAX_TEXT_ELEMENTS + 1), null),
                document("e", ENGLISH, "invalidcountry"));
        ((ObjectNode) documents(request).get(1)).remove("text");

        ServiceResponse response = service.analyzeText(API_VERSION, bytes(request));

        assertThat(response.status()).isEqualTo(200);
        JsonNode results = JSON.readTree(response.body()).path("results");
        assertThat(ids(results.path("documents"))).containsExactly("a", "c");
        assertThat(ids(results.path("errors"))).containsExactly("b", "d", "e");
        assertDocumentError(results.path("errors").get(0), "InvalidDocument", "Document text is empty.");
        assertDocumentError(results.path("errors").get(1), "InvalidDocument", "Limit document size to: 5120 text elements");
        assertDocumentError(results.path("errors").get(2), "InvalidCountryHint", "ISO 3166-1 alpha-2");
        assertThat(results.at("/errors/2/error/message").asText()).isEqualTo("Invalid Country Hint.");
    }

    @ParameterizedTest
    @ValueSource(strings = {""})
    @NullSource
    void emptyOrMissingTextIsAPerDocumentError(String text) throws Exception {
        JsonNode results = results(service.analyzeText(API_VERSION, bytes(body(document("1", text, null)))));

        assertThat(results.path("documents")).isEmpty();
        assertDocumentError(results.path("errors").get(0), "InvalidDocument", "Document text is empty.");
    }

    @Test
    void lengthLimitCountsTextElementsNotUtf16Units() throws Exception {
        String accented = "e\u0301".repeat(LanguageService.MAX_TEXT_ELEMENTS); // 10,240 UTF-16 units, 5,120 elements
        ObjectNode request = body(
                document("at-limit", "a".repeat(LanguageService.MAX_TEXT_ELEMENTS), null),
                document("combining", accented, null),
                document("over", accented + "e", null));

        JsonNode results = results(service.analyzeText(API_VERSION, bytes(request)));

        assertThat(ids(results.path("documents"))).containsExactly("at-limit", "combining");
        assertThat(ids(results.path("errors"))).containsExactly("over");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "none", "NONE", "US", "fr", "Jp"})
    void validCountryHintsAreAccepted(String hint) throws Exception {
        JsonNode results = results(service.analyzeText(API_VERSION, bytes(body(document("1", ENGLISH, hint)))));

        assertThat(results.path("errors")).isEmpty();
        assertThat(results.at("/documents/0/detectedLanguage/iso6391Name").asText()).isEqualTo("en");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en", "XX", "USA", "U", "invalidcountry", "none!", " US"})
    void invalidCountryHintIsAPerDocumentError(String hint) throws Exception {
        JsonNode results = results(service.analyzeText(API_VERSION, bytes(body(document("1", ENGLISH, hint)))));

        assertThat(results.path("documents")).isEmpty();
        assertDocumentError(results.path("errors").get(0), "InvalidCountryHint", "Country hint is not valid.");
    }

    // --- whole-request errors -------------------------------------------------------------------

    static Stream<Arguments> invalidRequests() {
        String one = "{\"id\":\"1\",\"text\":\"Hello world\"}";
        StringBuilder tooMany = new StringBuilder("{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[");
        for (int i = 0; i <= LanguageService.MAX_DOCUMENTS; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"text\":\"hi\"}");
        }
        tooMany.append("]}}");
        return Stream.of(
                Arguments.of("empty body", "", "EmptyRequest"),
                Arguments.of("whitespace body", "  \n ", "EmptyRequest"),
                Arguments.of("not JSON", "hello", "InvalidRequestBodyFormat"),
                Arguments.of("truncated JSON", "{\"kind\":\"LanguageDetection\",\"analysisInput\":{", "InvalidRequestBodyFormat"),
                Arguments.of("trailing content", request(one) + " {}", "InvalidRequestBodyFormat"),
                Arguments.of("duplicate key", "{\"kind\":\"LanguageDetection\",\"kind\":\"LanguageDetection\","
                        + "\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("duplicate key in document", request("{\"id\":\"1\",\"id\":\"2\",\"text\":\"hi\"}"), "InvalidRequestBodyFormat"),
                Arguments.of("array body", "[" + request(one) + "]", "InvalidRequestBodyFormat"),
                Arguments.of("missing kind", "{\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("kind not a string", "{\"kind\":1,\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("unsupported kind", "{\"kind\":\"EntityRecognition\",\"analysisInput\":{\"documents\":[" + one + "]}}",
                        "InvalidParameterValue"),
                Arguments.of("unknown kind", "{\"kind\":\"Telepathy\",\"analysisInput\":{\"documents\":[" + one + "]}}",
                        "InvalidParameterValue"),
                Arguments.of("kind in wrong case", "{\"kind\":\"languagedetection\",\"analysisInput\":{\"documents\":[" + one + "]}}",
                        "InvalidParameterValue"),
                Arguments.of("unknown model version", "{\"kind\":\"LanguageDetection\",\"parameters\":{\"modelVersion\":\"2022-10-01\"},"
                        + "\"analysisInput\":{\"documents\":[" + one + "]}}", "ModelVersionIncorrect"),
                Arguments.of("model version not a string", "{\"kind\":\"LanguageDetection\",\"parameters\":{\"modelVersion\":1},"
                        + "\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("loggingOptOut not a boolean", "{\"kind\":\"LanguageDetection\",\"parameters\":{\"loggingOptOut\":\"yes\"},"
                        + "\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("parameters not an object", "{\"kind\":\"LanguageDetection\",\"parameters\":[],"
                        + "\"analysisInput\":{\"documents\":[" + one + "]}}", "InvalidRequestBodyFormat"),
                Arguments.of("missing analysisInput", "{\"kind\":\"LanguageDetection\"}", "MissingInputDocuments"),
                Arguments.of("missing documents", "{\"kind\":\"LanguageDetection\",\"analysisInput\":{}}", "MissingInputDocuments"),
                Arguments.of("null documents", "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":null}}", "MissingInputDocuments"),
                Arguments.of("empty documents", request(""), "MissingInputDocuments"),
                Arguments.of("documents not an array", "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":{}}}",
                        "InvalidRequestBodyFormat"),
                Arguments.of("too many documents", tooMany.toString(), "InvalidDocumentBatch"),
                Arguments.of("document not an object", request("\"Hello\""), "InvalidRequestBodyFormat"),
                Arguments.of("missing id", request("{\"text\":\"Hello\"}"), "InvalidDocument"),
                Arguments.of("empty id", request("{\"id\":\"\",\"text\":\"Hello\"}"), "InvalidDocument"),
                Arguments.of("null id", request("{\"id\":null,\"text\":\"Hello\"}"), "InvalidDocument"),
                Arguments.of("numeric id", request("{\"id\":1,\"text\":\"Hello\"}"), "InvalidRequestBodyFormat"),
                Arguments.of("text not a string", request("{\"id\":\"1\",\"text\":[\"Hello\"]}"), "InvalidRequestBodyFormat"),
                Arguments.of("countryHint not a string", request("{\"id\":\"1\",\"text\":\"Hello\",\"countryHint\":1}"),
                        "InvalidRequestBodyFormat"),
                Arguments.of("duplicate ids", request(one + "," + one), "InvalidDocument"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestIsRefusedWithTheLanguageApisError(String what, String body, String innerCode) throws Exception {
        ServiceResponse response = service.analyzeText(API_VERSION, body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.status()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(fieldNames(JSON.readTree(response.body()))).containsExactly("error");
        assertThat(error.path("code").asText()).isEqualTo("InvalidRequest");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.at("/innererror/code").asText()).isEqualTo(innerCode);
        assertThat(error.at("/innererror/message").asText()).isNotBlank();
    }

    @Test
    void errorMessagesSayWhatIsWrong() throws Exception {
        assertThat(innerMessage(request("{\"id\":\"1\",\"text\":\"a\"},{\"id\":\"1\",\"text\":\"b\"}")))
                .isEqualTo("Request contains duplicated Ids. Make sure each document has a unique Id.");
        assertThat(innerMessage("{\"kind\":\"EntityRecognition\",\"analysisInput\":{\"documents\":[]}}"))
                .contains("'EntityRecognition'", "not supported", "LanguageDetection");
        assertThat(innerMessage("{\"kind\":\"LanguageDetection\",\"parameters\":{\"modelVersion\":\"x\"}}"))
                .isEqualTo("Invalid model version. Possible values are: latest," + LanguageDetector.MODEL_VERSION
                        + ". For additional details see https://aka.ms/text-analytics-model-versioning");
        assertThat(innerMessage(request("{\"id\":\"1\",\"text\":\"a\"},{\"text\":\"b\"}")))
                .contains("index 1", "Id");
        assertThat(innerMessage("{\"kind\":\"LanguageDetection\",\n\"analysisInput\":{\"documents\":[}")).contains("line 2");
        String tooMany = innerMessageOfManyDocuments(LanguageService.MAX_DOCUMENTS + 1);
        assertThat(tooMany).isEqualTo("Batch request contains too many records. Max 1000 records are permitted.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2021-04-30", "2022-02-01-preview", "v3.1", "latest", ""})
    @NullSource
    void unsupportedOrMissingApiVersionIsNotFoundAsAzuresGatewaySays(String apiVersion) throws Exception {
        ServiceResponse response = service.analyzeText(apiVersion, bytes(body(document("1", ENGLISH, null))));

        assertThat(response.status()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("404");
        assertThat(error.path("message").asText()).startsWith("Resource not found.").contains("2023-04-01");
        assertThat(error.has("innererror")).isFalse();
    }

    @Test
    void arbitraryBytesAlwaysGetA4xxOr200AndNeverAnException() {
        Random random = new Random(20240501);
        List<byte[]> inputs = new ArrayList<>();
        byte[] valid = bytes(body(document("1", ENGLISH, null)));
        for (int i = 0; i < 300; i++) {
            byte[] mutated = valid.clone();
            for (int j = 0; j < 1 + random.nextInt(4); j++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            inputs.add(mutated);
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            inputs.add(noise);
        }
        inputs.add("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".repeat(40).getBytes(StandardCharsets.UTF_8));
        inputs.add(null);

        for (byte[] input : inputs) {
            ServiceResponse response = service.analyzeText(API_VERSION, input);
            assertThat(response.status()).isIn(200, 400);
            assertThat(response.bodyText()).startsWith("{");
        }
    }

    /** Degenerate full-length texts once overflowed the stack in a regular expression. */
    @ParameterizedTest
    @ValueSource(strings = {"a.", "a@", "http://", "http://a.b/", "www.", "x.y.z.", "@a ", "#a", "a-", "😀a", ":) ", "1.5 "})
    void degenerateFullLengthTextIsAnsweredQuickly(String unit) throws Exception {
        String text = unit.repeat(LanguageService.MAX_TEXT_ELEMENTS / unit.length());

        long start = System.nanoTime();
        JsonNode results = results(service.analyzeText(API_VERSION, bytes(body(document("1", text, null)))));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(results.at("/documents/0/detectedLanguage/iso6391Name").asText()).isEqualTo("(Unknown)");
        assertThat(millis).as("generous bound against catastrophic backtracking").isLessThan(2_000);
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String request(String documents) {
        return "{\"kind\":\"LanguageDetection\",\"analysisInput\":{\"documents\":[" + documents + "]}}";
    }

    private String innerMessage(String body) throws Exception {
        ServiceResponse response = service.analyzeText(API_VERSION, body.getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(400);
        return JSON.readTree(response.body()).at("/error/innererror/message").asText();
    }

    private String innerMessageOfManyDocuments(int count) throws Exception {
        ObjectNode request = body();
        for (int i = 0; i < count; i++) {
            documents(request).add(document(Integer.toString(i), "hi", null));
        }
        return innerMessage(new String(bytes(request), StandardCharsets.UTF_8));
    }

    private static ObjectNode body(ObjectNode... documents) {
        ObjectNode request = JSON.createObjectNode().put("kind", "LanguageDetection");
        ArrayNode array = request.putObject("analysisInput").putArray("documents");
        for (ObjectNode document : documents) {
            array.add(document);
        }
        return request;
    }

    private static ArrayNode documents(ObjectNode request) {
        return (ArrayNode) request.path("analysisInput").path("documents");
    }

    private static ObjectNode document(String id, String text, String countryHint) {
        ObjectNode document = JSON.createObjectNode().put("id", id);
        document.put("text", text);
        if (countryHint != null) {
            document.put("countryHint", countryHint);
        }
        return document;
    }

    private static byte[] bytes(ObjectNode request) {
        try {
            return JSON.writeValueAsBytes(request);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode results(ServiceResponse response) throws Exception {
        assertThat(response.status()).isEqualTo(200);
        return JSON.readTree(response.body()).path("results");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(element -> ids.add(element.path("id").asText()));
        return ids;
    }

    private static void assertDocumentError(JsonNode entry, String innerCode, String innerMessagePart) {
        assertThat(fieldNames(entry)).containsExactly("id", "error");
        assertThat(entry.at("/error/code").asText()).isEqualTo("InvalidArgument");
        assertThat(entry.at("/error/innererror/code").asText()).isEqualTo(innerCode);
        assertThat(entry.at("/error/innererror/message").asText()).contains(innerMessagePart);
    }
}
