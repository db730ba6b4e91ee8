package dev.bulwark.service;

import java.nio.charset.StandardCharsets;

/** What a service answers: status, content type and the complete body. Immutable. */
public record ServiceResponse(int status, String contentType, byte[] body) {

    public static ServiceResponse json(int status, String json) {
        return new ServiceResponse(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
