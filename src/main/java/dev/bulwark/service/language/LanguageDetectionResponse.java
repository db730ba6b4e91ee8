package dev.bulwark.service.language;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.bulwark.service.ServiceResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes Language API bodies: the 200 {@code LanguageDetectionResults} and the whole-request error.
 * Field names and nesting are exactly those the Azure SDK's generated models read
 * ({@code LanguageDetectionTaskResult}, {@code LanguageDetectionResult}, {@code DocumentError},
 * {@code ErrorResponse}); order follows Azure's own responses.
 */
final class LanguageDetectionResponse {

    /** One document's outcome, in request order: a detected language or a per-document error. */
    sealed interface Outcome permits Detected, Failed {
        String id();
    }

    record Detected(String id, DetectedLanguage language) implements Outcome {
    }

    record Failed(String id, LanguageError error) implements Outcome {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private LanguageDetectionResponse() {
    }

    /** The 200 answer: detected documents and per-document errors, each list in request order. */
    static ServiceResponse results(List<Outcome> outcomes) {
        return ServiceResponse.json(200, write(json -> {
            json.writeStartObject();
            json.writeStringField("kind", "LanguageDetectionResults");
            json.writeObjectFieldStart("results");
            json.writeArrayFieldStart("documents");
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Detected detected) {
                    writeDocument(json, detected);
                }
            }
            json.writeEndArray();
            json.writeArrayFieldStart("errors");
            for (Outcome outcome : outcomes) {
                if (outcome instanceof Failed failed) {
                    json.writeStartObject();
                    json.writeStringField("id", failed.id());
                    json.writeFieldName("error");
                    failed.error().writeErrorObject(json);
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
            json.writeStringField("modelVersion", LanguageDetector.MODEL_VERSION);
            json.writeEndObject();
            json.writeEndObject();
        }));
    }

    /** A whole-request error: {@code {"error":{...}}} with the error's status. */
    static ServiceResponse error(LanguageError error) {
        return ServiceResponse.json(error.status(), write(json -> {
            json.writeStartObject();
            json.writeFieldName("error");
            error.writeErrorObject(json);
            json.writeEndObject();
        }));
    }

    private static void writeDocument(JsonGenerator json, Detected detected) throws IOException {
        DetectedLanguage language = detected.language();
        json.writeStartObject();
        json.writeStringField("id", detected.id());
        json.writeObjectFieldStart("detectedLanguage");
        json.writeStringField("name", language.name());
        json.writeStringField("iso6391Name", language.iso6391Name());
        json.writeNumberField("confidenceScore", language.confidenceScore());
        json.writeEndObject();
        json.writeArrayFieldStart("warnings");
        json.writeEndArray();
        json.writeEndObject();
    }

    private interface Body {
        void writeTo(JsonGenerator json) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            body.writeTo(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }
}
