package dev.bulwark.server.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * A management answer: status, body, and the facts its audit record needs.
 *
 * @param auditProperties extra audit facts (never secrets)
 */
public record ApiResponse(int status, String contentType, String body, String resourceId, Map<String, Object> auditProperties) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiResponse json(int status, JsonNode body, String resourceId) {
        return new ApiResponse(status, "application/json; charset=utf-8", body == null ? "" : body.toString(), resourceId, Map.of());
    }

    public static ApiResponse error(int status, String code, String message, String resourceId) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return new ApiResponse(status, "application/json; charset=utf-8", o.toString(), resourceId, Map.of("errorCode", code));
    }

    public ApiResponse withAudit(Map<String, Object> properties) {
        return new ApiResponse(status, contentType, body, resourceId, Map.copyOf(properties));
    }

    public boolean succeeded() {
        return status < 400;
    }
}
