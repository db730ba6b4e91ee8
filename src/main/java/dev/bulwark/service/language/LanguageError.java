package dev.bulwark.service.language;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * One error in the Language API's own shape: an outer code and message, and (almost always) an
 * {@code innererror} whose code is what the Azure SDK surfaces as {@code TextAnalyticsErrorCode}.
 *
 * <p>The same record serves whole-request errors ({@code {"error":{...}}} with {@link #status()})
 * and per-document errors (an entry of {@code results.errors}, where the status is not used).
 * Messages follow Azure's wording where Azure's is known, so people who search for them find the
 * same explanations; where Azure's is unknown or too vague, the message says what to fix.
 *
 * @param status      HTTP status of a whole-request error
 * @param code        outer code ({@code InvalidRequest}, {@code InvalidArgument}, or the gateway's {@code "404"})
 * @param message     outer message
 * @param innerCode   inner code, or null for the gateway shape that has none
 * @param innerMessage inner message, or null when {@code innerCode} is null
 */
record LanguageError(int status, String code, String message, String innerCode, String innerMessage) {

    /** Azure's outer message for problems with the request as a whole. */
    private static final String INVALID_REQUEST = "Invalid Request.";
    /** Azure's outer message for problems with one or more documents. */
    private static final String INVALID_DOCUMENT = "Invalid document in request.";

    static LanguageError unsupportedApiVersion(String apiVersion) {
        // Azure's gateway answers an unknown or missing api-version with a bare 404 "Resource not
        // found" (no innererror); we keep its status and code so clients react the same way, and
        // add what to send instead, which Azure's message leaves the caller to guess.
        String what = apiVersion == null
                ? "The api-version query parameter is required."
                : "The api-version '" + apiVersion + "' is not supported.";
        return new LanguageError(404, "404", "Resource not found. " + what + " Supported versions: "
                + ApiVersions.DESCRIPTION + ".", null, null);
    }

    static LanguageError emptyRequest() {
        return invalidRequest("EmptyRequest", "Request body must be present.");
    }

    static LanguageError malformedBody(String detail) {
        return invalidRequest("InvalidRequestBodyFormat", "Request body format is wrong. Make sure the json request"
                + " is serialized correctly and there are no null members. " + detail);
    }

    static LanguageError missingKind() {
        return malformedBody("The 'kind' field is required; this service supports 'LanguageDetection'.");
    }

    static LanguageError unsupportedKind(String kind) {
        return invalidRequest("InvalidParameterValue", "The task kind '" + kind
                + "' is not supported by this service; it supports only 'LanguageDetection'.");
    }

    static LanguageError unknownKind(String kind) {
        return invalidRequest("InvalidParameterValue", "The task kind '" + kind
                + "' is not valid; this service supports only 'LanguageDetection'.");
    }

    static LanguageError incorrectModelVersion() {
        return invalidRequest("ModelVersionIncorrect", "Invalid model version. Possible values are: latest,"
                + LanguageDetector.MODEL_VERSION
                + ". For additional details see https://aka.ms/text-analytics-model-versioning");
    }

    static LanguageError missingDocuments() {
        return invalidRequest("MissingInputDocuments", "Missing input documents.");
    }

    static LanguageError tooManyDocuments() {
        return new LanguageError(400, "InvalidRequest", INVALID_DOCUMENT, "InvalidDocumentBatch",
                "Batch request contains too many records. Max " + LanguageService.MAX_DOCUMENTS
                        + " records are permitted.");
    }

    static LanguageError missingDocumentId(int index) {
        return new LanguageError(400, "InvalidRequest", INVALID_DOCUMENT, "InvalidDocument",
                "Document at index " + index + " has no id. Make sure each document has a unique, non-empty Id.");
    }

    static LanguageError duplicateDocumentIds() {
        return new LanguageError(400, "InvalidRequest", INVALID_DOCUMENT, "InvalidDocument",
                "Request contains duplicated Ids. Make sure each document has a unique Id.");
    }

    /** Per-document: the text is missing or empty. */
    static LanguageError emptyText() {
        return new LanguageError(400, "InvalidArgument", INVALID_DOCUMENT, "InvalidDocument", "Document text is empty.");
    }

    /** Per-document: the text is longer than {@link LanguageService#MAX_TEXT_ELEMENTS}. */
    static LanguageError textTooLong() {
        return new LanguageError(400, "InvalidArgument", INVALID_DOCUMENT, "InvalidDocument",
                "A document within the request was too large to be processed. Limit document size to: "
                        + LanguageService.MAX_TEXT_ELEMENTS + " text elements. For additional details on the data"
                        + " limitations see https://aka.ms/text-analytics-data-limits");
    }

    /** Per-document: the country hint is not an ISO 3166-1 alpha-2 code (nor empty or "none"). */
    static LanguageError invalidCountryHint() {
        return new LanguageError(400, "InvalidArgument", "Invalid Country Hint.", "InvalidCountryHint",
                "Country hint is not valid. Please specify an ISO 3166-1 alpha-2 two letter country code.");
    }

    private static LanguageError invalidRequest(String innerCode, String innerMessage) {
        return new LanguageError(400, "InvalidRequest", INVALID_REQUEST, innerCode, innerMessage);
    }

    /** Writes the {@code {"code":..,"message":..,"innererror":{..}}} object. */
    void writeErrorObject(JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("code", code);
        json.writeStringField("message", message);
        if (innerCode != null) {
            json.writeObjectFieldStart("innererror");
            json.writeStringField("code", innerCode);
            json.writeStringField("message", innerMessage);
            json.writeEndObject();
        }
        json.writeEndObject();
    }
}
