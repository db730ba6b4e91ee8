package dev.bulwark.service.language;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code POST /language/:analyze-text} body for {@code "kind":"LanguageDetection"}, read strictly:
 * <pre>{"kind":"LanguageDetection",
 *  "parameters":{"modelVersion":"latest","loggingOptOut":false},
 *  "analysisInput":{"documents":[{"id":"1","text":"...","countryHint":"US"}]}}</pre>
 *
 * <p>Refused as a whole (400, {@link InvalidRequestException}): bytes that are not one JSON object
 * (including duplicate keys and trailing content), a field of the wrong JSON type, a missing or
 * other {@code kind}, an unknown {@code modelVersion}, no documents, more than
 * {@link LanguageService#MAX_DOCUMENTS}, a document without an id, and duplicate ids: Azure refuses
 * all of these before looking at any text. Problems that Azure reports per document (empty or too
 * long text, a bad country hint) are left to {@link LanguageService}. Unknown fields are ignored, as
 * Azure does, so that a newer SDK adding an optional field keeps working.
 *
 * @param documents the documents in request order
 */
record AnalyzeTextRequest(List<Document> documents) {

    /**
     * One input document as sent.
     *
     * @param id          unique, non-empty
     * @param text        null when absent or JSON null (reported as empty text)
     * @param countryHint null when absent; otherwise exactly as sent (validated per document)
     */
    record Document(String id, String text, String countryHint) {
    }

    /** The Language API's synchronous task kinds, to tell "not supported here" from "no such kind". */
    private static final Set<String> AZURE_KINDS = Set.of("SentimentAnalysis", "EntityRecognition",
            "PiiEntityRecognition", "KeyPhraseExtraction", "LanguageDetection", "EntityLinking");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static AnalyzeTextRequest parse(byte[] body) throws InvalidRequestException {
        JsonNode root = readTree(body);
        if (!root.isObject()) {
            throw invalid(LanguageError.malformedBody("The body must be a JSON object."));
        }
        checkKind(root.get("kind"));
        checkParameters(root.get("parameters"));
        return new AnalyzeTextRequest(readDocuments(root.get("analysisInput")));
    }

    private static JsonNode readTree(byte[] body) throws InvalidRequestException {
        if (body == null || body.length == 0) {
            throw invalid(LanguageError.emptyRequest());
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            // The original message plus where; Jackson's full message would also quote the
            // source, echoing the caller's text back.
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw invalid(LanguageError.malformedBody(e.getOriginalMessage() + where));
        } catch (IOException e) {
            throw invalid(LanguageError.malformedBody("The body could not be read as JSON."));
        }
        if (root == null || root.isMissingNode()) {
            throw invalid(LanguageError.emptyRequest());
        }
        return root;
    }

    private static void checkKind(JsonNode kind) throws InvalidRequestException {
        if (kind == null || kind.isNull()) {
            throw invalid(LanguageError.missingKind());
        }
        if (!kind.isTextual()) {
            throw invalid(LanguageError.malformedBody("'kind' must be a string."));
        }
        String value = kind.textValue();
        if (value.equals("LanguageDetection")) {
            return;
        }
        throw invalid(AZURE_KINDS.contains(value) ? LanguageError.unsupportedKind(value) : LanguageError.unknownKind(value));
    }

    private static void checkParameters(JsonNode parameters) throws InvalidRequestException {
        if (parameters == null || parameters.isNull()) {
            return;
        }
        if (!parameters.isObject()) {
            throw invalid(LanguageError.malformedBody("'parameters' must be an object."));
        }
        JsonNode modelVersion = parameters.get("modelVersion");
        if (modelVersion != null && !modelVersion.isNull()) {
            if (!modelVersion.isTextual()) {
                throw invalid(LanguageError.malformedBody("'parameters.modelVersion' must be a string."));
            }
            String version = modelVersion.textValue();
            if (!version.equals("latest") && !version.equals(LanguageDetector.MODEL_VERSION)) {
                throw invalid(LanguageError.incorrectModelVersion());
            }
        }
        // Accepted for compatibility and otherwise moot: this service never logs document text.
        JsonNode loggingOptOut = parameters.get("loggingOptOut");
        if (loggingOptOut != null && !loggingOptOut.isNull() && !loggingOptOut.isBoolean()) {
            throw invalid(LanguageError.malformedBody("'parameters.loggingOptOut' must be a boolean."));
        }
    }

    private static List<Document> readDocuments(JsonNode analysisInput) throws InvalidRequestException {
        if (analysisInput == null || analysisInput.isNull()) {
            throw invalid(LanguageError.missingDocuments());
        }
        if (!analysisInput.isObject()) {
            throw invalid(LanguageError.malformedBody("'analysisInput' must be an object."));
        }
        JsonNode documents = analysisInput.get("documents");
        if (documents == null || documents.isNull()) {
            throw invalid(LanguageError.missingDocuments());
        }
        if (!documents.isArray()) {
            throw invalid(LanguageError.malformedBody("'analysisInput.documents' must be an array."));
        }
        if (documents.isEmpty()) {
            throw invalid(LanguageError.missingDocuments());
        }
        if (documents.size() > LanguageService.MAX_DOCUMENTS) {
            throw invalid(LanguageError.tooManyDocuments());
        }
        List<Document> result = new ArrayList<>(documents.size());
        Set<String> ids = new HashSet<>();
        boolean duplicate = false;
        for (int i = 0; i < documents.size(); i++) {
            Document document = readDocument(documents.get(i), i);
            duplicate |= !ids.add(document.id());
            result.add(document);
        }
        // After the loop so that a malformed later document is reported first, as its own problem.
        if (duplicate) {
            throw invalid(LanguageError.duplicateDocumentIds());
        }
        return List.copyOf(result);
    }

    private static Document readDocument(JsonNode document, int index) throws InvalidRequestException {
        if (!document.isObject()) {
            throw invalid(LanguageError.malformedBody("Document at index " + index + " must be an object."));
        }
        String id = optionalString(document, "id", index);
        if (id == null || id.isEmpty()) {
            throw invalid(LanguageError.missingDocumentId(index));
        }
        return new Document(id, optionalString(document, "text", index), optionalString(document, "countryHint", index));
    }

    private static String optionalString(JsonNode document, String field, int index) throws InvalidRequestException {
        JsonNode value = document.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(LanguageError.malformedBody("'" + field + "' of the document at index " + index
                    + " must be a string."));
        }
        return value.textValue();
    }

    private static InvalidRequestException invalid(LanguageError error) {
        return new InvalidRequestException(error);
    }
}
