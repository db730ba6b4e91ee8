package dev.bulwark.service.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Reads a client's OpenAI request body and writes the one sent upstream. The body is parsed once,
 * strictly (duplicate keys refused, so no two readers can see two different {@code model}s or URLs),
 * and what goes upstream is re-serialised from that parse.
 */
final class RequestBodies {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    private RequestBodies() {
    }

    /** The body as a JSON object, or {@link InvalidBody} with a message fit for the client. */
    static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            throw new InvalidBody("The request body is empty; a JSON object is required.");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidBody("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidBody("The request body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidBody("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /** The {@code model} the client named (the deployment, on the v1 routes), or null. */
    static String model(ObjectNode body) {
        JsonNode m = body.get("model");
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isTextual()) {
            throw new InvalidBody("'model' must be a string naming a deployment.");
        }
        return m.textValue();
    }

    static PreparedRequest prepare(ObjectNode body, String upstreamModel, OpenAiOperation operation) {
        body.put("model", upstreamModel);
        JsonNode s = body.get("stream");
        if (s != null && !s.isBoolean() && !s.isNull()) {
            // Not a stream to Bulwark: the upstream must not read it as one (pydantic takes "true", 1, "yes").
            body.put("stream", false);
        }
        boolean stream = s != null && s.isBoolean() && s.booleanValue() && operation.generates();
        boolean strip = false;
        if (stream) {
            JsonNode options = body.get("stream_options");
            JsonNode include = options != null && options.isObject() ? options.get("include_usage") : null;
            // Only the boolean true: an upstream may read "true" or 1 as false and send no usage to count.
            boolean asked = include != null && include.isBoolean() && include.booleanValue();
            if (!asked) {
                // Ask for the usage event so tokens can be counted; the client will not see it.
                ObjectNode o = options != null && options.isObject() ? (ObjectNode) options : body.putObject("stream_options");
                o.put("include_usage", true);
                strip = true;
            }
        }
        try {
            return new PreparedRequest(JSON.writeValueAsBytes(body), stream, strip);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed JSON tree", e);
        }
    }

    /** A client body Bulwark cannot forward. */
    static final class InvalidBody extends RuntimeException {
        InvalidBody(String message) {
            super(message, null, false, false);
        }
    }
}
